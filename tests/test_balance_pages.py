"""Left and right on history and a drill's page; plans exceeded shown without invalid markup;
a drill left behind said in words."""

import re
from datetime import timedelta

from exercises import snapshot
from exercises.models import Drill
from progress.models import SelfTest, SetEntry, TrainingSession
from tests.conftest import TODAY, daily, follow, queries, sessions, text


def sided(user, drill, days, left, right, sets=2):
    """Sessions of a one-sided drill, each with `sets` sets a side of left and right."""
    made = TrainingSession.objects.bulk_create(
        TrainingSession(user=user, drill=drill, day=day, effort=5, pain=1) for day in days
    )
    field = "seconds" if drill.is_timed else "reps"
    SetEntry.objects.bulk_create(
        SetEntry(session=session, position=n, side=side, **{field: value})
        for session in made
        for n, (side, value) in enumerate([("left", left), ("right", right)] * sets, start=1)
    )
    TrainingSession.objects.summarise(user)  # as logging does, for the drill charts
    return made


def test_history_points_out_a_gap_above_fifteen_percent(client, catalog, alice, frozen):
    plank = Drill.objects.get(slug="side-plank-hip-flexion")  # held, one side at a time
    march = Drill.objects.get(slug="psoas-march")  # reps, one side at a time
    sided(alice, plank, [TODAY - timedelta(days=n) for n in (1, 3, 5)], left=15, right=20)
    sided(alice, march, [TODAY - timedelta(days=2)], left=9, right=10)
    sided(alice, march, [TODAY - timedelta(days=40)], left=2, right=10)  # before the 4 weeks
    SelfTest.objects.create(user=alice, day=TODAY - timedelta(days=3), knee_left=45,
                            knee_right=30)  # fmt: skip
    client.force_login(alice)
    page = text(client.get("/history/"))
    assert "Knee-raise self-test: your right side holds 33% less: start each set on the right." in (
        page
    )
    assert "Side plank with hip flexion: your left side holds 25% less: start each set on " in page
    assert "Psoas march 9 reps 10 reps 10% (left weaker)" in page  # within 15%: not pointed out
    assert "Psoas march: your" not in page
    assert "Knee-raise self-test (latest) 45 s 30 s 33% (right weaker)" in page


def test_history_with_nothing_one_sided_says_there_is_nothing_to_compare(
    client, catalog, alice, frozen
):
    sessions(alice, Drill.objects.get(slug="back-flattening"), [TODAY])
    SelfTest.objects.create(user=alice, day=TODAY, knee_left=40)  # one side only
    client.force_login(alice)
    assert "Nothing to compare yet" in text(client.get("/history/"))


def test_a_drill_page_shows_left_and_right_session_by_session(client, catalog, alice, frozen):
    plank = Drill.objects.get(slug="side-plank-hip-flexion")
    sided(alice, plank, [TODAY - timedelta(days=50)], left=10, right=10)
    sided(alice, plank, [TODAY - timedelta(days=3), TODAY - timedelta(days=1)], left=24, right=30)
    client.force_login(alice)
    page = text(client.get(f"/history/{plank.slug}/"))
    assert (
        "Over the last four weeks, your left side holds 20% less: start each set on the left."
        in page
    )
    assert "Tue, Nov 17, 2026 24 s 30 s 20% (left weaker)" in page
    assert "Tue, Sep 29, 2026 10 s 10 s level" in page


def test_a_level_drill_page_says_the_gap_is_within_the_usual(client, catalog, alice, frozen):
    march = Drill.objects.get(slug="psoas-march")
    sided(alice, march, [TODAY], left=9, right=10)
    client.force_login(alice)
    page = text(client.get(f"/history/{march.slug}/"))
    assert "your average set was 9 reps on the left and 10 reps on the right: a gap of 10%" in (
        page
    )
    assert "start each set" not in page


def test_a_drill_done_on_both_sides_at_once_has_no_left_and_right(client, catalog, alice, frozen):
    sessions(alice, Drill.objects.get(slug="back-flattening"), [TODAY])
    client.force_login(alice)
    assert "Left and right" not in text(client.get("/history/back-flattening/"))


def test_a_drill_left_behind_says_so_instead_of_an_empty_chart(client, catalog, alice, frozen):
    drill = Drill.objects.get(slug="back-flattening")
    sessions(alice, drill, daily(TODAY - timedelta(weeks=30), TODAY - timedelta(weeks=14)))
    client.force_login(alice)
    response = client.get(f"/history/{drill.slug}/")
    page = text(response)
    assert "Last 0 sessions" not in page
    last_week = TODAY - timedelta(weeks=14) - timedelta(days=TODAY.weekday())
    assert (
        f"No session of Back flattening in the last twelve weeks: the last was in the week of "
        f"{last_week:%b} {last_week.day}, 2026." in page
    )
    assert 'id="recent-title"' not in response.content.decode()
    assert "Week by week since" in page  # the long chart still shows what there was


def test_weeks_and_days_past_the_plan_are_said_in_words_with_valid_bars(
    client, catalog, alice, frozen
):
    followed = follow(alice, "psoas-control", TODAY - timedelta(weeks=7))
    stage = followed.stage
    values = (stage.target_reps,) * (stage.target_sets * 2)
    days = [d for d in daily(TODAY - timedelta(weeks=7), TODAY) if d.weekday() < 4]
    sessions(alice, stage.drill, days, values=values)  # four days a week, the plan is three
    client.force_login(alice)
    today = client.get("/today/").content.decode()
    assert "weeks counted, 3 past the plan" in text(client.get("/today/"))
    for value, top in re.findall(r'<progress[^>]*value="(\d+)" max="(\d+)"', today):
        assert int(value) <= int(top)
    history = client.get("/history/").content.decode()
    assert "4 of 3" in text(client.get("/history/"))
    meters = re.findall(r'<meter[^>]*max="(\d+)" value="(\d+)"', history)
    assert meters and all(int(value) <= int(top) for top, value in meters)


def test_a_one_sided_drill_page_costs_no_query_more_however_long_the_history(
    client, catalog, alice, frozen
):
    plank = Drill.objects.get(slug="side-plank-hip-flexion")
    sided(alice, plank, daily(TODAY - timedelta(days=6), TODAY), left=20, right=25)
    snapshot.catalog()
    client.force_login(alice)
    expected = [
        "select accounts_user",
        "select progress_sessionside",  # the last twelve weeks, each session's sides
        "select progress_weeklytotal",  # every week before
        "select progress_stagechange",  # to or from this drill
    ]
    url = f"/history/{plank.slug}/"
    assert queries(client, url) == expected
    sided(alice, plank, daily(TODAY - timedelta(weeks=150), TODAY - timedelta(days=7)), 20, 25)
    alice.data_changed()
    assert queries(client, url) == expected
