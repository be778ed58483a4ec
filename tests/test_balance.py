"""The maths of left and right and of the self-tests: plain values, no database."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from progress import balance
from progress.balance import Balance

TODAY = date(2026, 11, 18)


# --- the gap ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "gap"),
    [
        (30, 40, 25),  # the weaker side's shortfall, as a share of the stronger side
        (40, 30, 25),  # whichever side is weaker
        (45, 45, 0),
        (60, 60, 0),  # both at the cap
        (0, 20, 100),  # no hold at all on one side
        (20, 0, 100),
        (10, 11, 9),  # 9.09 rounds to 9
        (8, 9.5, 16),  # averages of sets need not be whole
    ],
)
def test_the_gap_is_a_percentage_of_the_stronger_side(left, right, gap):
    assert balance.gap_percent(left, right) == gap


@pytest.mark.parametrize(("left", "right"), [(None, 30), (30, None), (None, None), (0, 0)])
def test_no_gap_without_two_sides_to_compare(left, right):
    assert balance.gap_percent(left, right) is None
    assert Balance("Hold", left, right).gap_text == "–"
    assert Balance("Hold", left, right).advice == ""
    assert not Balance("Hold", left, right).uneven


def test_a_gap_above_fifteen_percent_is_pointed_out_with_the_side_to_start_on():
    hold = Balance("Knee raise", 30, 40)
    assert hold.uneven and hold.weaker == "left"
    assert hold.advice == "your left side holds 25% less: start each set on the left"
    assert hold.gap_text == "25% (left weaker)"
    reps = Balance("Psoas march", 10, 6, timed=False)
    assert reps.advice == "your right side does 40% fewer reps: start each set on the right"


def test_fifteen_percent_is_within_the_limit_and_sixteen_above_it():
    assert Balance("Hold", 85, 100).gap == 15
    assert not Balance("Hold", 85, 100).uneven
    assert Balance("Hold", 84, 100).uneven
    # Judged as shown: 15.4% is shown as 15% and not pointed out.
    assert not Balance("Hold", 84.6, 100).uneven


def test_zero_seconds_on_one_side_is_said_plainly():
    assert Balance("Hold", 0, 25).advice == (
        "your left side could not hold it: start each set on the left"
    )
    assert Balance("March", 8, 0, timed=False).advice == (
        "your right side did no reps: start each set on the right"
    )


def test_level_sides_name_no_weaker_side():
    level = Balance("Hold", 30, 30)
    assert (level.gap, level.weaker, level.gap_text, level.advice) == (0, None, "level", "")


# --- a drill's sides, from the database's sums -------------------------------------------------


@dataclass(frozen=True)
class FakeDrill:
    name: str
    is_timed: bool


DRILLS = {
    1: FakeDrill("Side plank", True),
    2: FakeDrill("Psoas march", False),
    3: FakeDrill("Knee raise", True),
}


def test_drill_balances_compare_each_sides_average_set():
    rows = [
        (1, "left", 60, 0, 3),  # three 20 s holds on the left
        (1, "right", 90, 0, 3),  # three 30 s holds on the right
        (2, "left", 0, 30, 3),  # 10 reps a set
        (2, "right", 0, 40, 4),  # an extra right set, also 10 a set: level
    ]
    found = balance.drill_balances(rows, DRILLS)
    assert [(b.name, b.left, b.right, b.gap) for b in found] == [
        ("Psoas march", 10.0, 10.0, 0),
        ("Side plank", 20.0, 30.0, 33),
    ]
    assert found[1].advice == "your left side holds 33% less: start each set on the left"


def test_a_drill_done_on_one_side_only_has_no_balance():
    rows = [(1, "left", 60, 0, 3), (3, "right", 20, 0, 1), (3, "left", 0, 0, 1)]
    found = balance.drill_balances(rows, DRILLS)
    assert [(b.name, b.left, b.right, b.gap) for b in found] == [("Knee raise", 0.0, 20.0, 100)]


def test_sets_of_both_sides_and_unknown_drills_are_left_out():
    rows = [(1, "both", 60, 0, 3), (9, "left", 10, 0, 1), (9, "right", 10, 0, 1)]
    assert balance.drill_balances(rows, DRILLS) == []


SIDE_ROWS = [  # (day, session, side, longest hold, seconds added up, reps added up, sets)
    (date(2026, 11, 2), 7, "left", 20, 40, 0, 2),
    (date(2026, 11, 2), 7, "right", 30, 60, 0, 2),
    (date(2026, 11, 9), 9, "left", 28, 50, 0, 2),
    (date(2026, 11, 9), 9, "right", 30, 60, 0, 2),
    (date(2026, 11, 16), 12, "right", 30, 30, 0, 1),  # the left side skipped
]


def test_side_sessions_list_each_session_newest_first_with_its_gap():
    found = balance.side_sessions(SIDE_ROWS, "Side plank", timed=True)
    assert [(s.day.day, s.balance.left, s.balance.right, s.balance.gap) for s in found] == [
        (16, None, 30, None),
        (9, 28, 30, 7),
        (2, 20, 30, 33),
    ]
    reps = balance.side_sessions([(TODAY, 1, "left", 0, 0, 24, 3)], "March", timed=False)
    assert reps[0].balance.left == 24 and reps[0].balance.right is None


def test_a_drills_recent_balance_compares_the_average_sets_since_a_day():
    # From Nov 9: left 50 s in 2 sets, right 90 s in 3 sets: 25 against 30.
    recent = balance.recent_balance(SIDE_ROWS, date(2026, 11, 9), "Side plank", timed=True)
    assert (recent.left, recent.right, recent.gap) == (25.0, 30.0, 17)
    assert recent.advice == "your left side holds 17% less: start each set on the left"
    assert balance.recent_balance(SIDE_ROWS, date(2026, 11, 10), "Side plank", True) is None
    assert balance.recent_balance([], TODAY, "Side plank", True) is None


# --- self-tests -------------------------------------------------------------------------------


def rows(*tests):
    """Self-test rows newest first: (day, left, right, leg lift, everyday)."""
    return [(n, day, *values) for n, (day, *values) in enumerate(tests, start=1)]


def test_a_single_self_test_has_its_balance_and_no_change_yet():
    tests = balance.results(rows((TODAY, 30, 40, 2, 6)))
    assert tests[0].knee.advice == "your left side holds 25% less: start each set on the left"
    assert balance.latest_knee_balance(tests) == Balance(balance.KNEE_RAISE, 30, 40)
    assert balance.changes(tests) == []


def test_the_latest_knee_balance_passes_over_a_test_with_one_side_missing():
    tests = balance.results(
        rows(
            (TODAY, None, 40, 3, 7),
            (TODAY - timedelta(weeks=4), 50, 50, 2, 6),
        )
    )
    assert tests[0].knee.gap is None
    assert balance.latest_knee_balance(tests).gap == 0
    assert balance.latest_knee_balance(balance.results(rows((TODAY, 20, None, 1, 5)))) is None


def test_a_knee_raise_of_zero_seconds_counts():
    tests = balance.results(rows((TODAY, 0, 12, None, None)))
    assert tests[0].knee.gap == 100
    assert tests[0].knee.advice.startswith("your left side could not hold it")


def test_changes_compare_the_first_test_shown_with_the_latest():
    tests = balance.results(
        rows(
            (TODAY, 40, 44, 3, 8),
            (TODAY - timedelta(weeks=4), None, 30, None, 8),
            (TODAY - timedelta(weeks=8), 20, 30, 1, 5),
        )
    )
    assert [c.text for c in balance.changes(tests)] == [
        "Knee-raise hold, average of both sides: 42 s, up from 25 s",
        "Leg-lift control: 3 of 4, up from 1 of 4",
        "Everyday hips: 8/10, up from 5/10",
    ]
    worse = balance.results(rows((TODAY, 21, 20, 1, 4), (TODAY - timedelta(weeks=4), 20, 20, 1, 5)))
    assert [c.text for c in balance.changes(worse)] == [
        "Knee-raise hold, average of both sides: 20.5 s, up from 20 s",
        "Leg-lift control: 1 of 4, the same as at first",
        "Everyday hips: 4/10, down from 5/10",
    ]


# --- when the self-test is offered ------------------------------------------------------------


def test_the_self_test_is_offered_before_the_first_and_four_weeks_after_the_last():
    assert balance.self_test_due(None, TODAY, [])
    assert not balance.self_test_due(TODAY - timedelta(days=27), TODAY, [])
    assert balance.self_test_due(TODAY - timedelta(days=28), TODAY, [])


def test_the_self_test_is_offered_when_a_stage_is_complete_and_untested():
    last = TODAY - timedelta(days=10)
    assert balance.self_test_due(last, TODAY, [TODAY - timedelta(days=9)])
    # Tested on that stage already (on or after the day it began): not again yet.
    assert not balance.self_test_due(last, TODAY, [last])
    assert not balance.self_test_due(last, TODAY, [TODAY - timedelta(days=30)])
