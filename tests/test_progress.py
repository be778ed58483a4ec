"""Following tracks, logging sessions, today, advancing: through the pages."""

import re
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import spread
from exercises import snapshot
from exercises.models import Stage
from exercises.revision import catalog_changed
from progress.models import (
    FollowedTrack,
    SessionSide,
    StageChange,
    TrainingSession,
    WeeklyTotal,
)
from tests.conftest import follow, queries, text

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=BERLIN)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def log_session(user, drill, day, pain=0, sets=None):
    session, _ = TrainingSession.objects.record(
        user, drill, token=uuid.uuid4(), day=day, effort=5, pain=pain, sets=sets or []
    )
    return session


def hit_target(user, followed, day, pain=0):
    stage = followed.stage
    sides = ["left", "right"] if stage.drill.per_side else ["both"]
    sets = [
        {"reps": stage.target_reps, "seconds": stage.target_seconds, "side": side}
        for _ in range(stage.target_sets)
        for side in sides
    ]
    return log_session(user, stage.drill, day, pain, sets)


def log_form(drill_reps=8, **overrides):
    data = {
        "sets-TOTAL_FORMS": "2",
        "sets-INITIAL_FORMS": "0",
        "sets-MIN_NUM_FORMS": "1",
        "sets-MAX_NUM_FORMS": "20",
        "sets-0-reps": str(drill_reps),
        "sets-0-side": "left",
        "sets-1-reps": str(drill_reps),
        "sets-1-side": "right",
        "day": "2026-03-18",
        "effort": "6",
        "pain": "1",
        "note": "felt good",
        "token": str(uuid.uuid4()),
    }
    return data | overrides


def test_a_new_person_is_offered_a_sensible_starting_set(client, catalog, alice):
    client.force_login(alice)
    page = client.get("/today/").content.decode()
    assert 'value="psoas-control" id="track-psoas-control" checked' in page
    assert 'value="hip-flexion-ladder" id="track-hip-flexion-ladder" checked' in page
    client.post("/start/", {"tracks": ["psoas-control", "hip-flexion-ladder"], "red_flags": "on"})
    followed = FollowedTrack.objects.filter(user=alice).order_by("track__position")
    assert [(f.track.slug, f.stage.position, f.stage_started) for f in followed] == [
        ("hip-flexion-ladder", 1, date(2026, 3, 18)),
        ("psoas-control", 1, date(2026, 3, 18)),
    ]
    assert StageChange.objects.filter(followed__user=alice, kind="start").count() == 2


def test_choosing_no_track_gets_a_message(client, catalog, alice):
    client.force_login(alice)
    response = client.post("/start/", {}, follow=True)
    assert "Choose at least one track" in text(response)


def test_today_leads_with_one_next_up_drill_control_before_strength(client, catalog, alice):
    follow(alice, "hip-flexion-ladder", date(2026, 3, 1))
    follow(alice, "psoas-control", date(2026, 3, 1))
    client.force_login(alice)
    page = text(client.get("/today/"))
    next_up = page[page.index("Next up") : page.index("Your tracks")]
    assert "Back flattening" in next_up  # control comes before the isometric hold
    assert "Band hurdle hold" not in next_up


def test_once_a_drill_is_done_today_next_up_moves_on(client, catalog, alice):
    follow(alice, "hip-flexion-ladder", date(2026, 3, 1))
    control = follow(alice, "psoas-control", date(2026, 3, 1))
    hit_target(alice, control, date(2026, 3, 18))
    client.force_login(alice)
    page = text(client.get("/today/"))
    assert "Band hurdle hold" in page[page.index("Next up") : page.index("Your tracks")]
    assert "Back flattening" in page[page.index("Done today") :]


def test_all_done_today_says_so_and_shows_tomorrow(client, catalog, alice):
    followed = follow(alice, "psoas-control", date(2026, 3, 1))
    hit_target(alice, followed, date(2026, 3, 18))
    client.force_login(alice)
    page = text(client.get("/today/"))
    assert "All done for today" in page
    assert "Tomorrow: Back flattening" in page


def test_a_planned_rest_day_offers_off_day_mobility(client, catalog, alice):
    alice.weekdays = spread(2)
    alice.save()
    followed = follow(alice, "psoas-control", date(2026, 3, 1))
    hit_target(alice, followed, date(2026, 3, 16))
    hit_target(alice, followed, date(2026, 3, 17))
    client.force_login(alice)
    page = text(client.get("/today/"))
    assert "A planned rest day" in page
    assert "off-day mobility" in page


def test_logging_a_session_saves_it_and_redirects(client, catalog, alice):
    client.force_login(alice)
    response = client.post("/log/band-hurdle-hold/", log_form())
    assert response.status_code == 302 and response["Location"] == "/today/"
    session = TrainingSession.objects.get(user=alice)
    assert (session.day, session.effort, session.pain, session.note) == (
        date(2026, 3, 18), 6, 1, "felt good",
    )  # fmt: skip
    assert [(s.position, s.reps, s.side) for s in session.sets.all()] == [
        (1, 8, "left"),
        (2, 8, "right"),
    ]


def test_a_double_tapped_form_creates_one_session(client, catalog, alice):
    client.force_login(alice)
    data = log_form()
    first = client.post("/log/band-hurdle-hold/", data)
    second = client.post("/log/band-hurdle-hold/", data)
    assert first.status_code == second.status_code == 302
    assert TrainingSession.objects.filter(user=alice).count() == 1


def test_log_as_prescribed_logs_the_dose_and_the_pain_tapped_once(client, catalog, alice):
    client.force_login(alice)
    token = str(uuid.uuid4())
    client.post("/log/band-hurdle-hold/", {"token": token, "prescribed": "1", "pain": "2"})
    client.post("/log/band-hurdle-hold/", {"token": token, "prescribed": "1", "pain": "2"})
    session = TrainingSession.objects.get(user=alice)
    assert [(s.reps, s.side) for s in session.sets.all()] == [(8, "left"), (8, "right")] * 3
    assert (session.pain, session.effort) == (2, 5)


def test_log_as_prescribed_is_a_row_of_pain_buttons_in_the_same_step(client, catalog, alice):
    follow(alice, "psoas-control", date(2026, 3, 1))
    client.force_login(alice)
    for url in ("/log/back-flattening/", "/today/"):
        page = client.get(url).content.decode()
        buttons = re.findall(r'<button[^>]*type="submit" name="pain" value="(\d+)"', page)
        assert buttons == [str(n) for n in range(11)], url
        assert 'name="prescribed"' in page
    assert "Log the starting dose: how much did it hurt?" in text(client.get("/today/"))
    assert "Log as prescribed: how much did it hurt?" in text(client.get("/log/toe-tap/"))


@pytest.mark.parametrize("pain", [None, "", "11", "-1", "none"])
def test_log_as_prescribed_without_a_pain_answer_saves_nothing(client, catalog, alice, pain):
    client.force_login(alice)
    data = {"token": str(uuid.uuid4()), "prescribed": "1"}
    if pain is not None:
        data["pain"] = pain
    response = client.post("/log/band-hurdle-hold/", data, follow=True)
    assert response.redirect_chain == [("/log/band-hurdle-hold/", 302)]
    missing = "Choose how much it hurt, from 0 (no pain) to 10 (the worst). Nothing was saved."
    assert (missing if pain in (None, "") else "Select a valid choice") in text(response)
    assert not TrainingSession.objects.exists()


def test_the_log_forms_pain_starts_empty_and_must_be_chosen(client, catalog, alice):
    client.force_login(alice)
    page = client.get("/log/band-hurdle-hold/").content.decode()
    pain = re.search(r'<select name="pain".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="" selected>Choose 0-10</option>', pain)
    assert pain.count("selected") == 1
    for sent in ({"pain": ""}, {}):
        data = {k: v for k, v in log_form().items() if k != "pain"} | sent
        response = client.post("/log/band-hurdle-hold/", data)
        assert response.status_code == 200
        assert "Choose how much it hurt, from 0 (no pain) to 10 (the worst)." in text(response)
    assert not TrainingSession.objects.exists()


def test_sessions_logged_before_pain_was_asked_keep_their_values(client, catalog, alice):
    drill = Stage.objects.get(track__slug="hip-flexion-ladder", position=1).drill
    session = log_session(alice, drill, date(2026, 3, 17), pain=0, sets=[{"reps": 8}])
    client.force_login(alice)
    page = client.get(f"/sessions/{session.pk}/edit/").content.decode()
    pain = re.search(r'<select name="pain".*?</select>', page, re.S).group(0)
    assert '<option value="0" selected>0</option>' in pain
    assert 'value="" selected' not in pain


def test_the_form_opens_with_the_prescribed_dose_then_last_times_numbers(client, catalog, alice):
    client.force_login(alice)
    page = client.get("/log/band-hurdle-hold/").content.decode()
    prefilled = re.findall(r'name="sets-\d+-reps" value="(\d+)"', page)
    assert prefilled == ["8"] * 6  # 3 sets a side, 8 reps each
    log_session(alice, Stage.objects.get(position=1, track__slug="hip-flexion-ladder").drill,
                date(2026, 3, 17), sets=[{"reps": 11, "side": "left"}])  # fmt: skip
    page = client.get("/log/band-hurdle-hold/").content.decode()
    assert 'value="11"' in page and "last time" in page


def test_timed_drills_ask_for_seconds_and_carry_the_hold_timer_script(client, catalog, alice):
    client.force_login(alice)
    page = client.get("/log/side-plank-hip-flexion/").content.decode()
    assert 'name="sets-0-seconds"' in page and 'name="sets-0-reps"' not in page
    assert "data-timer-target" in page
    assert "/static/js/log.js" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sets-0-reps", "501", "less than or equal to 500"),
        ("sets-0-reps", "-1", "greater than or equal to 0"),
        ("sets-0-reps", "lots", "Enter a whole number"),
        ("pain", "11", "Select a valid choice"),
        ("effort", "0", "Select a valid choice"),
        ("note", "x" * 2001, "at most 2000 characters"),
        ("day", "2026-03-19", "That date is in the future"),
        ("day", "2025-03-01", "from the last year only"),
        ("day", "yesterday", "Enter a valid date"),
    ],
)
def test_a_bad_value_gets_a_message_keeps_the_input_and_saves_nothing(
    client, catalog, alice, field, value, message
):
    client.force_login(alice)
    response = client.post("/log/band-hurdle-hold/", log_form(**{field: value}))
    assert response.status_code == 200
    assert message in text(response)
    kept = value if field == "note" else "felt good"  # what the person typed stays
    assert kept in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_seconds_above_an_hour_are_refused(client, catalog, alice):
    client.force_login(alice)
    data = log_form()
    data |= {"sets-TOTAL_FORMS": "1", "sets-0-seconds": "3601", "sets-0-side": "both"}
    response = client.post("/log/side-plank-hip-flexion/", data)
    assert "less than or equal to 3600" in text(response)


def test_removing_every_set_asks_for_at_least_one(client, catalog, alice):
    client.force_login(alice)
    # A removed set sends nothing (the page's script disables its fields, as does emptying it).
    data = {k: v for k, v in log_form().items() if not k.startswith(("sets-0-", "sets-1-"))}
    response = client.post("/log/band-hurdle-hold/", data)
    assert "Log at least one set" in text(response)
    assert not TrainingSession.objects.exists()


def test_a_session_can_be_edited_and_deleted_by_its_owner(client, catalog, alice):
    client.force_login(alice)
    client.post("/log/band-hurdle-hold/", log_form())
    session = TrainingSession.objects.get()
    data = {
        "sets-TOTAL_FORMS": "2",
        "sets-INITIAL_FORMS": "2",
        "sets-MIN_NUM_FORMS": "1",
        "sets-MAX_NUM_FORMS": "20",
    }
    for n, entry in enumerate(session.sets.all()):
        data |= {f"sets-{n}-id": entry.pk, f"sets-{n}-reps": "10", f"sets-{n}-side": entry.side}
    data |= {"sets-1-DELETE": "on", "day": "2026-03-17", "effort": "7", "pain": "2", "note": ""}
    assert client.post(f"/sessions/{session.pk}/edit/", data).status_code == 302
    session.refresh_from_db()
    assert (session.day, session.pain) == (date(2026, 3, 17), 2)
    assert [(s.reps, s.side) for s in session.sets.all()] == [(10, "left")]
    client.post(f"/sessions/{session.pk}/delete/")
    assert not TrainingSession.objects.exists()


def test_another_persons_session_is_a_404(client, catalog, alice, bob):
    client.force_login(alice)
    client.post("/log/band-hurdle-hold/", log_form())
    session = TrainingSession.objects.get()
    client.force_login(bob)
    assert client.get(f"/sessions/{session.pk}/edit/").status_code == 404
    assert client.post(f"/sessions/{session.pk}/delete/").status_code == 404
    assert TrainingSession.objects.exists()


def test_advancing_when_the_rule_says_no_is_refused_with_the_reason(client, catalog, alice):
    follow(alice, "hip-flexion-ladder", date(2026, 3, 10))
    client.force_login(alice)
    response = client.post("/tracks/hip-flexion-ladder/advance/", follow=True)
    assert "Not yet:" in text(response)
    assert FollowedTrack.objects.get().stage.position == 1


def test_advancing_when_ready_moves_up_and_keeps_the_change(client, catalog, alice):
    followed = follow(alice, "hip-flexion-ladder", date(2026, 2, 25))
    for week in range(followed.stage.min_weeks):
        for day in (0, 2, 4, 5, 6)[: followed.stage.sessions_per_week]:
            hit_target(alice, followed, date(2026, 2, 25) + timedelta(days=7 * week + day))
    client.force_login(alice)
    page = text(client.get("/today/"))
    assert "Move up to stage 2" in page, page[page.index("Your tracks") :][:600]
    client.post("/tracks/hip-flexion-ladder/advance/")
    followed.refresh_from_db()
    assert (followed.stage.position, followed.stage_started) == (2, date(2026, 3, 18))
    change = StageChange.objects.get(kind="advance")
    assert (change.from_stage.position, change.to_stage.position) == (1, 2)
    assert "Side plank with hip flexion" in text(client.get("/today/"))


def test_stepping_back_after_pain_moves_down_a_stage(client, catalog, alice):
    followed = follow(alice, "hip-flexion-ladder", date(2026, 3, 1), position=2)
    hit_target(alice, followed, date(2026, 3, 17), pain=7)
    client.force_login(alice)
    page = text(client.get("/today/"))
    assert "Step back to stage 1" in page
    assert "see a physiotherapist or doctor" in page
    client.post("/tracks/hip-flexion-ladder/step-back/")
    followed.refresh_from_db()
    assert followed.stage.position == 1


def test_pause_resume_and_leave_a_track(client, catalog, alice):
    alice.read_red_flags(date(2026, 3, 1))
    follow(alice, "psoas-control", date(2026, 3, 1))
    client.force_login(alice)
    client.post("/tracks/psoas-control/pause/")
    assert FollowedTrack.objects.get().state == "paused"
    client.post("/tracks/psoas-control/resume/")
    assert FollowedTrack.objects.get().state == "active"
    client.post("/tracks/psoas-control/leave/")
    assert FollowedTrack.objects.get().state == "left"
    client.post("/tracks/psoas-control/follow/")
    assert FollowedTrack.objects.get().state == "active"


def test_a_session_at_2330_local_counts_on_that_local_day(client, catalog, alice):
    # 23:30 in Berlin on Sunday is already Monday in UTC.
    late = datetime(2026, 3, 22, 23, 30, tzinfo=BERLIN)
    with time_machine.travel(late, tick=False):
        client.force_login(alice)
        data = {"token": str(uuid.uuid4()), "prescribed": "1", "pain": "0"}
        client.post("/log/band-hurdle-hold/", data)
    assert TrainingSession.objects.get().day == date(2026, 3, 22)


SIGNED_IN = ["select accounts_user"]  # the session itself comes from the cache
TODAY_BUILT = SIGNED_IN + [
    "select progress_followedtrack",  # with their tracks, stages and drills
    "select progress_trainingsession",  # what the rule reads, this week's and yesterday's
    "select progress_checkin",  # the mornings the rule reads, and whether to ask this one
    "select progress_setentry",  # the sets of each track's latest two sessions
    "select progress_selftest",  # the latest self-test's day: is one due?
]


def test_today_runs_a_fixed_number_of_queries_however_long_the_history(client, catalog, alice):
    followed = [
        follow(alice, slug, date(2026, 1, 5)) for slug in ("psoas-control", "hip-flexion-ladder")
    ]
    for n in range(7):  # a week of history
        for f in followed:
            hit_target(alice, f, date(2026, 1, 5) + timedelta(days=n))
    catalog_changed()
    snapshot.catalog()  # the process's copy of the catalog, built once per revision
    client.force_login(alice)
    # Built, then from the cache (the cache's own queries are left out: see conftest.queries).
    assert [queries(client, "/today/"), queries(client, "/today/")] == [TODAY_BUILT, SIGNED_IN]
    for n in range(7, 70):  # ten weeks of history
        for f in followed:
            hit_target(alice, f, date(2026, 1, 5) + timedelta(days=n))
    alice.data_changed()
    assert [queries(client, "/today/"), queries(client, "/today/")] == [TODAY_BUILT, SIGNED_IN]


def test_today_with_the_morning_check_in_runs_a_fixed_number_of_queries(client, catalog, alice):
    from progress.models import CheckIn

    followed = [
        follow(alice, slug, date(2026, 1, 5)) for slug in ("psoas-control", "hip-flexion-ladder")
    ]

    def train(days):  # each day trained, and its next morning answered (skipped on Sundays)
        for day in days:
            for f in followed:
                hit_target(alice, f, day)
            after = day + timedelta(days=1)
            if after < date(2026, 3, 18):
                if after.weekday() == 6:
                    CheckIn.objects.skip(alice, after)
                else:
                    CheckIn.objects.record(alice, after, pain=2, stiffness="same")

    yesterday = date(2026, 3, 17)
    train([yesterday - timedelta(days=n) for n in range(7)])  # a week of history
    catalog_changed()
    client.force_login(alice)
    assert "How does it feel this morning?" in text(client.get("/today/"))
    alice.data_changed()
    assert [queries(client, "/today/"), queries(client, "/today/")] == [TODAY_BUILT, SIGNED_IN]
    train([yesterday - timedelta(days=n) for n in range(7, 70)])  # ten weeks of history
    alice.data_changed()
    assert [queries(client, "/today/"), queries(client, "/today/")] == [TODAY_BUILT, SIGNED_IN]
    client.post("/today/check-in/", {"stiffness": "better", "pain": "1"})  # answered
    assert "How does it feel this morning?" not in text(client.get("/today/"))
    alice.data_changed()
    assert [queries(client, "/today/"), queries(client, "/today/")] == [TODAY_BUILT, SIGNED_IN]


def test_a_track_can_be_followed_from_the_catalog(client, catalog, alice):
    alice.read_red_flags(date(2026, 3, 1))
    client.force_login(alice)
    assert "Follow Lumbopelvic control" in text(client.get("/drills/"))
    client.post("/tracks/lumbopelvic-control/follow/")
    assert "You follow this track" in text(client.get("/drills/"))
    assert FollowedTrack.objects.get(user=alice).stage.position == 1


def test_reloading_the_catalog_never_touches_what_people_logged(client, catalog, alice):
    from django.core.management import call_command

    followed = follow(alice, "psoas-control", date(2026, 3, 1), position=2)
    hit_target(alice, followed, date(2026, 3, 17))
    call_command("load_catalog")
    followed.refresh_from_db()
    assert followed.stage.position == 2
    assert TrainingSession.objects.filter(user=alice).count() == 1


def test_a_catalog_file_dropping_a_stage_people_are_on_is_refused_clearly(catalog, alice, tmp_path):
    import json

    from django.core.management import CommandError, call_command

    from exercises.catalog import CATALOG_PATH

    follow(alice, "psoas-control", date(2026, 3, 1), position=4)
    data = json.loads(CATALOG_PATH.read_text())
    track = next(t for t in data["tracks"] if t["slug"] == "psoas-control")
    track["stages"] = track["stages"][:3]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="in use by people following the track"):
        call_command("load_catalog", path=path)
    assert Stage.objects.filter(track__slug="psoas-control").count() == 4


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "/log/back-flattening/",
            [  # the drill comes from the process's copy of the catalog
                "select progress_trainingsession",  # the last session of the drill
                "select progress_setentry",  # its sets
            ],
        ),  # the drill, the last session of it, its sets
        ("/account/", ["select reminders_calendarfeed"]),  # is the calendar link on?
        (
            "/account/export/?format=json",
            [
                "select progress_followedtrack",
                "select progress_stagechange",
                "select progress_trainingsession",
                "select progress_setentry",
                "select progress_checkin",
                "select progress_selftest",
            ],
        ),
    ],
)
def test_log_and_account_pages_run_a_fixed_number_of_queries(client, catalog, alice, url, expected):
    followed = follow(alice, "psoas-control", date(2026, 1, 5))
    hit_target(alice, followed, date(2026, 1, 5))
    client.force_login(alice)
    snapshot.catalog()  # the process's copy of the catalog, built once per revision
    assert queries(client, url) == SIGNED_IN + expected
    for n in range(1, 60):
        hit_target(alice, followed, date(2026, 1, 5) + timedelta(days=n))
    assert queries(client, url) == SIGNED_IN + expected


def test_logging_costs_the_same_queries_for_one_set_as_for_six(client, catalog, alice):
    client.force_login(alice)
    snapshot.catalog()  # the process's copy of the catalog, built once per revision
    logged = []
    for sets in (1, 6):
        data = log_form(**{"sets-TOTAL_FORMS": str(sets)})
        data |= {f"sets-{n}-reps": "8" for n in range(sets)}
        data |= {f"sets-{n}-side": "both" for n in range(sets)}
        logged.append(queries(client, "/log/band-hurdle-hold/", "post", data, status=302))
    assert [s.sets.count() for s in TrainingSession.objects.order_by("pk")] == [1, 6]
    assert (
        logged[0]
        == logged[1]
        == SIGNED_IN
        + [
            "select progress_trainingsession",  # the token, not used before
            "insert progress_trainingsession",
            "insert progress_setentry",  # every set in one insert
            "update accounts_user",  # the revision (cached pages are stale); locks the person
            "select progress_setentry",  # the week's sets, summed by day for the drill chart
            "delete progress_weeklytotal",
            "insert progress_weeklytotal",
            "select progress_setentry",  # the new session's sets, summed by side
            "delete progress_sessionside",
            "insert progress_sessionside",
        ]
    )


@pytest.mark.django_db(transaction=True)
def test_sessions_of_one_week_logged_at_once_are_all_saved_and_summed(catalog, alice):
    """Eight writers log the same drill on the same day at once (two tabs, a phone sending
    its queue), on real connections: every session is saved and the week's total counts all."""
    import threading

    from django.db import connection

    drill = Stage.objects.get(track__slug="psoas-control", position=1).drill
    day = date(2026, 3, 18)
    start, failures = threading.Barrier(8), []

    def writer():
        try:
            start.wait()
            for _ in range(3):
                TrainingSession.objects.record(
                    alice, drill, token=uuid.uuid4(), day=day, effort=5, pain=1,
                    sets=TrainingSession.prescribed_sets(drill),
                )  # fmt: skip
        except Exception as exc:  # reported below, with the thread's own message
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert TrainingSession.objects.filter(user=alice).count() == 24
    (total,) = WeeklyTotal.objects.filter(user=alice, drill=drill)
    assert total.sessions == 24
    assert SessionSide.objects.filter(user=alice, drill=drill).count() == 24  # one side each


def test_a_drills_chart_shows_a_session_as_edited_and_drops_it_once_deleted(client, catalog, alice):
    """The chart reads each session's sides as they were summed when it was saved
    (SessionSide): an edit sums them again, a deletion takes them away."""
    client.force_login(alice)
    client.post("/log/band-hurdle-hold/", log_form(8))
    session = TrainingSession.objects.get()
    day = "Wed, Mar 18, 2026"  # NOW
    assert f"{day} 16 1/10" in text(client.get("/history/band-hurdle-hold/"))
    left, right = session.sets.order_by("position")
    data = {
        "sets-TOTAL_FORMS": "2",
        "sets-INITIAL_FORMS": "2",
        "sets-MIN_NUM_FORMS": "1",
        "sets-MAX_NUM_FORMS": "20",
        "sets-0-id": left.pk,
        "sets-0-reps": "12",
        "sets-0-side": "left",
        "sets-1-id": right.pk,
        "sets-1-reps": "8",
        "sets-1-side": "right",
        "day": "2026-03-18",
        "effort": "7",
        "pain": "2",
        "note": "",
    }
    assert client.post(f"/sessions/{session.pk}/edit/", data).status_code == 302
    chart = text(client.get("/history/band-hurdle-hold/"))
    assert f"{day} 20 2/10" in chart and f"{day} 16 1/10" not in chart
    assert f"{day} 12 reps 8 reps" in chart  # left and right, side by side
    client.post(f"/sessions/{session.pk}/delete/")
    assert day not in text(client.get("/history/band-hurdle-hold/"))
