"""History: the stage timeline, the heat map, streaks, the drill charts and the session list."""

import re
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from exercises import snapshot
from exercises.models import Drill, Stage
from exercises.revision import catalog_changed
from progress import history
from progress.models import StageChange, TrainingSession
from tests.conftest import daily, follow, queries, sessions, text

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=BERLIN)  # a Wednesday
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def advance(followed, day, counted_weeks=3, reason="3 of 3 weeks done."):
    target = Stage.objects.get(track=followed.track, position=followed.stage.position + 1)
    StageChange.objects.create(
        followed=followed,
        from_stage=followed.stage,
        to_stage=target,
        kind="advance",
        day=day,
        reason=reason,
        counted_weeks=counted_weeks,
    )
    followed.stage, followed.stage_started = target, day
    followed.save()


# --- pure pieces -------------------------------------------------------------------------------


def test_the_heat_map_is_a_year_of_weeks_from_monday_to_the_day_holding_today():
    start = history.heat_start(TODAY)
    assert start.weekday() == 0
    assert history.week_start(TODAY) - start == timedelta(weeks=52)
    heat = history.heat_map({TODAY: 2, start: 1, start - timedelta(days=1): 5}, TODAY)
    cells = "".join(heat.halves).count("<use")
    assert cells == (TODAY - start).days + 1  # no cells for the days after today
    assert heat.training_days == 2 and heat.sessions == 3  # the day before the map is left out
    assert "Wed 18 Nov 2026: 2 sessions" in heat.halves[1]


def test_months_are_summed_newest_first_with_their_training_days_and_sessions():
    heat = history.heat_map({date(2026, 11, 2): 2, date(2026, 11, 3): 1}, TODAY)
    assert heat.months[0] == history.MonthSummary("November 2026", 2, 3)
    assert heat.months[1] == history.MonthSummary("October 2026", 0, 0)


def test_adherence_compares_planned_and_trained_days_week_by_week():
    monday = history.week_start(TODAY)
    days = {monday - timedelta(weeks=1) + timedelta(days=n) for n in (0, 2, 4)}  # last week: 3
    days |= {monday - timedelta(weeks=2)}  # the week before: 1
    days |= {monday}  # this week so far: 1
    result = history.adherence(days, TODAY, planned=3)
    this_week, last_week, before = result.weeks[:3]
    assert (this_week.current, this_week.trained) == (True, 1)
    assert (last_week.trained, last_week.met) == (3, True)
    assert (before.trained, before.met) == (1, False)
    assert len(result.weeks) == history.ADHERENCE_WEEKS
    # The unfinished week neither counts nor breaks the streak; older weeks are empty.
    assert result.streaks.weeks == 1
    assert result.percent == round(100 * (3 + 1) / (11 * 3))


def test_the_day_streak_runs_to_today_or_to_yesterday_while_today_is_open():
    days = {TODAY - timedelta(days=n) for n in range(1, 5)}
    assert history.adherence(days, TODAY, 3).streaks.days == 4
    assert history.adherence(days | {TODAY}, TODAY, 3).streaks.days == 5
    assert history.adherence(days - {TODAY - timedelta(days=1)}, TODAY, 3).streaks.days == 0


def test_streaks_longer_than_the_year_looked_at_are_shown_as_at_least():
    days = set(daily(TODAY - timedelta(days=500), TODAY))
    streaks = history.adherence(days, TODAY, 3).streaks
    assert streaks.days_capped and streaks.weeks_capped
    assert streaks.best_weeks == history.HEAT_WEEKS


def test_the_chart_scale_has_round_gridlines_above_the_best_value():
    assert [history.nice_ceiling(v) for v in (0, 3, 9, 33, 41, 120)] == [4, 4, 10, 40, 60, 200]


# --- /history/ ---------------------------------------------------------------------------------


def test_the_timeline_shows_each_stage_with_its_dates_counted_weeks_and_reason(
    client, catalog, alice, frozen
):
    followed = follow(alice, "hip-flexion-ladder", date(2026, 9, 1))
    advance(followed, date(2026, 9, 29), 4, "4 weeks done and your last two sessions hit it.")
    client.force_login(alice)
    page = text(client.get("/history/"))
    first, second = Stage.objects.filter(track__slug="hip-flexion-ladder").order_by("position")[:2]
    assert (
        f"Stage 1 of 4: {first.drill.name} Started Sep 1, 2026 · until Sep 29, 2026 · "
        "4 counted weeks Why: Started." in page
    )
    # Where the current stage stands is today's page: history says which week it is in.
    assert (
        f"Stage 2 of 4: {second.drill.name} Moved up Sep 29, 2026 · current stage, week 8 "
        "Why: 4 weeks done and your last two sessions hit it. Where it stands: Today" in page
    )
    assert "Now:" not in page


def test_moving_up_records_the_weeks_that_counted_on_the_stage_left(client, catalog, alice, frozen):
    followed = follow(alice, "psoas-control", TODAY - timedelta(weeks=4))
    stage = followed.stage
    values = (stage.target_seconds or stage.target_reps,) * (stage.target_sets * 2)
    days = [TODAY - timedelta(weeks=4) + timedelta(days=n) for n in range(28) if n % 7 < 3]
    sessions(alice, stage.drill, days, values=values)
    client.force_login(alice)
    client.post("/tracks/psoas-control/advance/")
    change = StageChange.objects.get(followed=followed, kind="advance")
    assert change.counted_weeks == 4
    assert "until Nov 18, 2026 · 4 counted weeks" in text(client.get("/history/"))


def test_the_heat_map_and_streaks_show_training_days(client, catalog, alice, frozen):
    follow(alice, "psoas-control", TODAY - timedelta(weeks=3))
    drill = Stage.objects.get(track__slug="psoas-control", position=1).drill
    sessions(alice, drill, daily(TODAY - timedelta(days=9), TODAY))
    sessions(alice, drill, [TODAY])  # twice today
    client.force_login(alice)
    response = client.get("/history/")
    html = response.content.decode()
    assert "Wed 18 Nov 2026: 2 sessions" in html
    assert "Tue 17 Nov 2026: 1 session<" in html
    assert "Sun 8 Nov 2026: no training" in html
    assert 'class="d2"' in html and 'class="d1"' in html
    page = text(response)
    assert "10 training days and 11 sessions in the last twelve months." in page
    assert "November 2026: 10 training days, 11 sessions" in page
    assert re.search(r"Training days in a row (\d+)", page).group(1) == "10"


@pytest.mark.parametrize(
    ("zone", "last_day"),
    [("UTC", "Sun 22 Nov 2026"), ("Asia/Tokyo", "Mon 23 Nov 2026")],
)
def test_the_heat_map_ends_on_the_persons_own_today(client, catalog, alice, zone, last_day):
    alice.time_zone = zone
    alice.save()
    with time_machine.travel(datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        client.force_login(alice)
        html = client.get("/history/").content.decode()
    cells = re.findall(r"<title>(\w{3} \d+ \w{3} \d{4}): no training</title>", html)
    assert cells[-1] == last_day
    # In Tokyo it is already Monday: a new week begins, with one cell in it.
    assert ("Mon 23 Nov 2026" in html) == (zone == "Asia/Tokyo")


def test_sessions_are_listed_newest_first_twenty_to_a_page(client, catalog, alice, frozen):
    drill = Drill.objects.get(slug="back-flattening")
    sessions(alice, drill, daily(TODAY - timedelta(days=44), TODAY))
    client.force_login(alice)
    first = text(client.get("/sessions/"))
    assert "Page 1 of 3" in first
    assert first.index("Wed, Nov 18, 2026") < first.index("Tue, Nov 17, 2026")
    assert "Fri, Oct 30, 2026" in first and "Thu, Oct 29, 2026" not in first
    last = client.get("/sessions/?page=3")
    assert "Page 3 of 3" in text(last)
    assert text(last).count("Edit ") == 5
    assert "Page 3 of 3" in text(client.get("/sessions/?page=99"))  # past the end: the last page
    assert "Page 1 of 3" in text(client.get("/sessions/?page=next"))  # nonsense: the first page


def test_each_session_links_to_its_edit_page(client, catalog, alice, frozen):
    [session] = sessions(alice, Drill.objects.get(slug="back-flattening"), [TODAY])
    client.force_login(alice)
    assert f'href="/sessions/{session.pk}/edit/"' in client.get("/sessions/").content.decode()


def test_sessions_can_be_filtered_by_track_and_by_drill(client, catalog, alice, frozen):
    follow(alice, "psoas-control", TODAY - timedelta(weeks=2))
    follow(alice, "hip-flexion-ladder", TODAY - timedelta(weeks=2))
    control = Stage.objects.get(track__slug="psoas-control", position=1).drill
    ladder = Stage.objects.get(track__slug="hip-flexion-ladder", position=1).drill
    sessions(alice, control, daily(TODAY - timedelta(days=24), TODAY))
    sessions(alice, ladder, [TODAY - timedelta(days=1)])
    client.force_login(alice)
    everything = text(client.get("/sessions/"))
    assert "Page 1 of 2" in everything
    by_track = text(client.get("/sessions/?track=hip-flexion-ladder"))
    assert f"2026 · {ladder.name} " in by_track and f"2026 · {control.name} " not in by_track
    by_drill = client.get(f"/sessions/?drill={control.slug}&page=2")
    assert "Page 2 of 2" in text(by_drill)
    assert f"drill={control.slug}&amp;page=1" in by_drill.content.decode()
    assert f"2026 · {ladder.name} " not in text(by_drill)


def test_an_unknown_filter_is_explained_and_every_session_shown(client, catalog, alice, frozen):
    sessions(alice, Drill.objects.get(slug="back-flattening"), [TODAY])
    client.force_login(alice)
    response = client.get("/sessions/?track=moon-walk&drill=%3Cscript%3E")
    assert response.status_code == 200
    page = text(response)
    assert "There is no track called “moon-walk” in your history." in page
    assert "There is no drill called “&lt;script&gt;” in your history." in page
    assert "Showing every session instead." in page
    assert "Back flattening" in page


def test_history_shows_only_the_persons_own_sessions(client, catalog, alice, bob, frozen):
    sessions(alice, Drill.objects.get(slug="back-flattening"), [TODAY])
    client.force_login(bob)
    page = text(client.get("/sessions/"))
    assert "No sessions logged yet." in page
    overview = text(client.get("/history/"))
    assert "0 training days and 0 sessions in the last twelve months." in overview
    assert "0 sessions logged" in text(client.get("/history/back-flattening/"))


def test_an_address_of_the_sessions_from_before_they_had_their_own_page_goes_there(
    client, catalog, alice, frozen
):
    client.force_login(alice)
    response = client.get("/history/?drill=back-flattening&page=2")
    assert response.status_code == 301
    assert response["Location"] == "/sessions/?drill=back-flattening&page=2"
    assert client.get("/history/").status_code == 200  # the overview itself stays


def test_history_asks_for_sign_in(client, catalog):
    assert client.get("/history/")["Location"].startswith("/accounts/login/")
    assert client.get("/sessions/")["Location"].startswith("/accounts/login/")
    assert client.get("/history/back-flattening/")["Location"].startswith("/accounts/login/")


# --- /history/<drill>/ -------------------------------------------------------------------------


def test_the_drill_chart_plots_each_recent_session_with_stage_changes_marked(
    client, catalog, alice, frozen
):
    followed = follow(alice, "hip-flexion-ladder", TODAY - timedelta(weeks=6))
    drill = followed.stage.drill  # counted in reps
    sessions(alice, drill, [TODAY - timedelta(days=10)], values=(8, 8, 6))
    sessions(alice, drill, [TODAY - timedelta(days=3)], pain=5, values=(9, 9, 9))
    advance(followed, TODAY - timedelta(days=1))
    client.force_login(alice)
    response = client.get(f"/history/{drill.slug}/")
    html = response.content.decode()
    assert "Sun 8 Nov 2026: 22 reps, pain 0/10" in html
    assert "Sun 15 Nov 2026: 27 reps, pain 5/10" in html
    assert html.count('class="chart-point chart-pain"') == 1
    assert "Stage 2 from Tue 17 Nov 2026" in html
    page = text(response)
    assert "Sun, Nov 15, 2026 27 5/10 Sun, Nov 8, 2026 22 0/10" in page  # the data table
    assert "Week by week" not in page  # nothing older than twelve weeks


def test_timed_drills_chart_the_best_hold(client, catalog, alice, frozen):
    drill = Drill.objects.filter(measure="seconds").first()
    sessions(alice, drill, [TODAY], values=(20, 35, 30))
    client.force_login(alice)
    assert f"{TODAY:%a} 18 Nov 2026: 35 s" in client.get(f"/history/{drill.slug}/").content.decode()


def test_a_long_history_is_charted_week_by_week_as_well(client, catalog, alice, frozen):
    drill = Drill.objects.get(slug="back-flattening")
    sessions(alice, drill, daily(TODAY - timedelta(weeks=30), TODAY), values=(10, 12))
    sessions(alice, drill, [TODAY - timedelta(weeks=20)], values=(4,))
    client.force_login(alice)
    response = client.get(f"/history/{drill.slug}/")
    page = text(response)
    assert "Week by week since Apr 2026" in page
    week = history.week_start(TODAY - timedelta(weeks=20))
    # Eight sessions that week: seven of 22 reps, one of 4.
    assert f"{week:%b} {week.day}, 2026 19.8 8 0/10" in page
    html = response.content.decode()
    weekly_chart = html[html.index('id="long-title"') :]
    assert weekly_chart.count("<circle") == 31


def daily_totals(first, last, reps=10):
    """What the database sums for one session a day of `reps` reps: a row per week and month."""
    rows = {}
    for day in daily(first, last):
        key = (history.week_start(day), day.replace(day=1))
        rows[key] = rows.get(key, 0) + 1
    return [history.Total(w, m, 0, reps * n, n, 0) for (w, m), n in sorted(rows.items())]


def test_two_years_of_weeks_are_charted_week_by_week_with_weeks_across_months_whole():
    # Mon 28 Sep to Sun 4 Oct 2026 is one week in two months: one point, seven sessions.
    period, points = history.long_series(daily_totals(date(2024, 10, 7), date(2026, 10, 4)), False)
    assert period == "week" and len(points) == history.MAX_WEEKLY_POINTS
    assert points[-1] == history.Point(date(2026, 9, 28), 10.0, 0, 7)


def test_a_longer_history_is_charted_month_by_month_with_each_day_in_its_own_month():
    period, points = history.long_series(daily_totals(date(2023, 10, 2), date(2026, 10, 4)), False)
    assert period == "month" and len(points) == 37
    assert points[0] == history.Point(date(2023, 10, 1), 10.0, 0, 30)  # from Monday the 2nd
    assert points[-2:] == [
        history.Point(date(2026, 9, 1), 10.0, 0, 30),
        history.Point(date(2026, 10, 1), 10.0, 0, 4),
    ]


def test_three_years_of_a_drill_are_charted_month_by_month(client, catalog, alice, frozen):
    drill = Drill.objects.get(slug="back-flattening")
    sessions(alice, drill, daily(TODAY - timedelta(weeks=156), TODAY), values=(10, 12))
    client.force_login(alice)
    response = client.get(f"/history/{drill.slug}/")
    page = text(response)
    assert "Month by month since Nov 2023" in page
    assert "October 2026 22 31 0/10" in page  # the numbers: reps per session, sessions, pain
    html = response.content.decode()
    assert "<title>October 2026: 22 reps, pain 0/10</title>" in html
    assert html[html.index('id="long-title"') :].count("<circle") == 37


def test_an_unknown_drill_is_a_404(client, catalog, alice):
    client.force_login(alice)
    assert client.get("/history/no-such-drill/").status_code == 404


# --- fixed query counts ------------------------------------------------------------------------


def three_years(user):
    """Three years of daily sessions on every stage of two tracks, with stage changes."""
    start = TODAY - timedelta(weeks=156)
    for slug in ("psoas-control", "hip-flexion-ladder"):
        followed = follow(user, slug, start)
        for position in range(2, 5):
            advance(followed, start + timedelta(weeks=4 * (position - 1)))
        for stage in Stage.objects.filter(track__slug=slug):
            sessions(user, stage.drill, daily(start, TODAY))


def test_history_pages_run_the_same_queries_for_a_week_as_for_three_years(
    client, catalog, alice, bob, frozen
):
    week_start = TODAY - timedelta(days=6)
    follow(bob, "psoas-control", week_start)
    sessions(bob, Drill.objects.get(slug="back-flattening"), daily(week_start, TODAY))
    three_years(alice)
    assert TrainingSession.objects.filter(user=alice).count() > 8 * 3 * 360
    catalog_changed()
    snapshot.catalog()  # the process's copy of the catalog, built once per revision
    signed_in = ["select accounts_user"]  # the session itself comes from the cache
    history = [
        "select progress_followedtrack",  # with their tracks, stages and drills
        "select progress_stagechange",
        "select progress_trainingsession",  # a year of daily counts
        "select progress_weeklytotal",  # pain by week, during training and (UNION) mornings
        "select progress_sessionside",  # each side of the one-sided drills, last four weeks
        "select progress_selftest",  # the latest self-tests, for the knee-raise balance
    ]
    listing = [
        "select exercises_drill",  # the drills logged, for the filter
        "select progress_followedtrack",  # the tracks followed, for the filter
        "select progress_trainingsession",  # the page of sessions: how many in all
        "select progress_trainingsession",  # the page's rows
        "select progress_setentry",  # their sets
    ]
    chart = [  # the drill: from the process's copy of the catalog
        "select progress_sessionside",  # the last twelve weeks, a row a session and side
        "select progress_weeklytotal",  # every week before, summed as it was logged
        "select progress_stagechange",  # to or from this drill
    ]
    # Built, then from the cache (the cache's own queries are left out: see conftest.queries).
    for url, built in [
        ("/history/", history),
        ("/sessions/", listing),
        ("/sessions/?track=psoas-control", listing),
        ("/history/back-flattening/", chart),
    ]:
        seen = []
        for person in (bob, alice):
            client.force_login(person)
            seen += [queries(client, url), queries(client, url)]
        assert seen == [signed_in + built, signed_in] * 2, url


# --- cached pages ------------------------------------------------------------------------------


def test_cached_pages_show_each_change_at_once(client, catalog, alice, staff, frozen):
    followed = follow(alice, "psoas-control", TODAY - timedelta(weeks=1))
    drill = followed.stage.drill
    visitor = client.__class__()
    assert drill.name in text(visitor.get("/drills/"))
    assert drill.name in text(visitor.get(f"/drills/{drill.slug}/"))
    client.force_login(alice)
    assert "No sessions logged yet." in text(client.get("/sessions/"))
    client.post(f"/log/{drill.slug}/", {"prescribed": "", "pain": "1", "token": str(uuid.uuid4())})
    assert "No sessions logged yet." not in text(client.get("/sessions/"))
    client.post("/tracks/psoas-control/pause/")
    assert "paused" in text(client.get("/history/"))

    client.force_login(staff)  # staff rename the drill in the admin
    address = f"/admin/exercises/drill/{drill.pk}/change/"
    form = client.get(address).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["equipment"] = [e.pk for e in data.get("equipment", [])]
    response = client.post(address, data | {"name": "Pelvic tilt, flat back"})
    assert response.status_code == 302
    client.force_login(alice)
    assert "Stage 1 of 4: Pelvic tilt, flat back" in text(client.get("/history/"))
    assert "Pelvic tilt, flat back" in text(visitor.get("/drills/"))
    assert "Pelvic tilt, flat back" in text(visitor.get(f"/drills/{drill.slug}/"))


def test_forms_on_a_cached_page_carry_the_token_of_the_request_showing_it(catalog, alice, frozen):
    from django.test import Client

    follow(alice, "psoas-control", TODAY)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (first, second):
        browser.force_login(alice)
        browser.get("/today/")  # the second is served from the cache
        page = browser.get("/today/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response = browser.post("/tracks/psoas-control/pause/", {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        browser.post("/tracks/psoas-control/resume/", {"csrfmiddlewaretoken": token})


def test_text_a_person_types_is_never_taken_for_a_pages_markers(client, catalog, alice, frozen):
    """The markers a kept page is built with are random for each build, so a note that looks
    like one (this is the fixed marker pages once used) is shown as typed."""
    followed = follow(alice, "psoas-control", TODAY - timedelta(weeks=1))
    session = sessions(alice, followed.stage.drill, [TODAY])[0]
    session.note = "csrf-token-of-the-request-showing-this-page <!-- messages -->"
    session.save()
    alice.data_changed()
    client.force_login(alice)
    for _ in range(2):  # built, then from the cache
        html = client.get("/sessions/").content.decode()
        assert "csrf-token-of-the-request-showing-this-page &lt;!-- messages --&gt;" in html


def test_deleting_an_account_deletes_the_pages_kept_for_it(client, catalog, alice, frozen):
    from django.core.cache import cache

    from hipapp import pagecache
    from tests.conftest import PASSWORD

    follow(alice, "psoas-control", TODAY - timedelta(weeks=1))
    client.force_login(alice)
    for url in ("/today/", "/history/", "/drills/", "/history/back-flattening/"):
        assert client.get(url).status_code == 200
    kept = [
        pagecache.personal_key(alice, name, slot)
        for name, slots in pagecache.PERSONAL_VIEWS.items()
        for slot in range(slots)
    ]
    assert len(cache.get_many(kept)) == 4  # one kept page an address
    response = client.post(
        "/account/delete/", {"password": PASSWORD, "confirm": "on"}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302
    assert cache.get_many(kept) == {}


def test_a_page_built_anew_reads_the_catalogs_revision_once(
    client, catalog, alice, frozen, monkeypatch
):
    """The page cache reads the revision with the kept page; building the page then takes it
    from there rather than asking the cache again (exercises.revision.remember)."""
    from django.core.cache import caches

    follow(alice, "psoas-control", TODAY - timedelta(weeks=1))
    client.force_login(alice)
    shared = caches["default"]
    asked = []
    get, get_many = shared.get, shared.get_many
    monkeypatch.setattr(
        shared, "get", lambda key, *a, **k: asked.append([key]) or get(key, *a, **k)
    )
    monkeypatch.setattr(
        shared,
        "get_many",
        lambda keys, *a, **k: asked.append(list(keys)) or get_many(keys, *a, **k),
    )
    for url in ("/today/", "/history/", "/history/back-flattening/"):
        alice.data_changed()  # the person's own write: the page is built anew
        asked.clear()
        assert client.get(url).status_code == 200
        assert sum(keys.count("catalog-revision") for keys in asked) == 1, url
