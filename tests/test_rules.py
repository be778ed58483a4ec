"""The progression rule, sentence by sentence (progress/rules.py: plain values, no database)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from progress.rules import (
    LOOKBACK_WEEKS,
    MorningLog,
    SessionLog,
    SetLog,
    Side,
    StageSpec,
    Status,
    Stiffness,
    Verdict,
    counted_weeks,
    evaluate,
    lookback_start,
    session_meets_target,
)

START = date(2026, 3, 6)


def day(n: int) -> date:
    """Day n of the stage: day 0 is the start day, week k is days 7k to 7k + 6."""
    return START + timedelta(days=n)


def stage(**changes) -> StageSpec:
    """A middle stage of a four-stage track: 3-4 weeks, 2 days a week, 3 sets of 8 reps."""
    return replace(StageSpec(position=2, total_stages=4, target_reps=8), **changes)


def reps(*counts: int, side: Side = Side.BOTH) -> tuple[SetLog, ...]:
    return tuple(SetLog(reps=count, side=side) for count in counts)


def session(n: int, pain: int = 0, sets: tuple[SetLog, ...] = reps(8, 8, 8)) -> SessionLog:
    """A session on day n; by default it meets the default stage's target, without pain."""
    return SessionLog(day=day(n), pain=pain, sets=sets)


def weak(n: int, pain: int = 0) -> SessionLog:
    """A session on day n that misses the default target (only 2 sets of 8)."""
    return session(n, pain, reps(8, 8))


def weeks(*numbers: int, days: tuple[int, ...] = (0, 3)) -> list[SessionLog]:
    """Target-meeting sessions on the given days of each given week."""
    return [session(7 * week + offset) for week in numbers for offset in days]


def morning(n: int, pain: int = 0, stiffness: Stiffness = Stiffness.SAME) -> MorningLog:
    """A check-in on the morning of day n; by default a settled one."""
    return MorningLog(day=day(n), pain=pain, stiffness=stiffness)


def check(spec: StageSpec, sessions: list[SessionLog], today: int, mornings: tuple = ()) -> Verdict:
    return evaluate(spec, START, sessions, day(today), mornings)


def count(spec: StageSpec, sessions: list[SessionLog], today: int) -> int:
    return counted_weeks(spec, START, sessions, day(today))


# --- the stage and the verdict ---------------------------------------------------------------


def test_a_stage_is_the_last_when_its_position_is_the_number_of_stages():
    assert stage(position=4).is_last
    assert not stage(position=3).is_last


def test_a_stage_has_a_previous_one_from_position_two():
    assert stage(position=2).has_previous
    assert not stage(position=1).has_previous


def test_only_ready_and_due_let_someone_advance_and_only_step_back_suggests_the_previous_stage():
    def verdict(status):
        return Verdict(status, "", 0, 1, None)

    assert {s for s in Status if verdict(s).can_advance} == {Status.READY, Status.DUE}
    assert {s for s in Status if verdict(s).suggest_previous} == {Status.STEP_BACK}


# --- weeks -----------------------------------------------------------------------------------


def test_a_session_on_the_seventh_day_is_in_the_first_week_and_on_the_eighth_in_the_second():
    assert count(stage(), [session(0), session(6)], today=6) == 1
    assert count(stage(), [session(0), session(7)], today=7) == 0
    assert count(stage(), [session(0), session(6), session(7), session(13)], today=13) == 2


def test_weeks_elapsed_is_one_on_the_start_day_and_grows_when_each_week_begins():
    assert check(stage(), [], today=0).weeks_elapsed == 1
    assert check(stage(), [], today=6).weeks_elapsed == 1
    assert check(stage(), [], today=7).weeks_elapsed == 2
    assert check(stage(), [], today=21).weeks_elapsed == 4


def test_before_the_start_day_no_week_has_begun():
    verdict = check(stage(), [session(-1)], today=-1)
    assert (verdict.weeks_elapsed, verdict.counted_weeks) == (0, 0)
    assert verdict.earliest_advance == day(14 + 1)


def test_sessions_after_today_are_ignored():
    assert count(stage(), [session(0), session(3)], today=2) == 0
    assert count(stage(), [session(0), session(3)], today=3) == 1


def test_sessions_before_the_stage_started_are_ignored():
    before = [session(-3), session(-1)]
    assert count(stage(), before + [session(2)], today=6) == 0
    assert check(stage(), before + [session(2)], today=6).status == Status.BUILDING


def test_the_rule_reads_the_latest_twelve_weeks_of_a_long_stage():
    # 20 weeks on the last stage, training only in weeks 0-5: those weeks are too old to count.
    last = stage(position=4)
    early = [session(7 * week + d) for week in range(6) for d in (0, 1)]
    today = day(7 * 19 + 3)
    assert lookback_start(START, today) == day(7 * (20 - LOOKBACK_WEEKS))
    assert counted_weeks(last, START, early, today) == 0
    recent = [session(7 * week + d) for week in range(15, 20) for d in (0, 1)]
    verdict = evaluate(last, START, early + recent, today)
    assert verdict.counted_weeks == 5
    assert verdict.status == Status.MAINTAIN


def test_a_short_stage_is_read_from_its_first_day():
    assert lookback_start(START, day(7 * LOOKBACK_WEEKS - 1)) == START
    assert lookback_start(START, day(-3)) == START


def test_a_week_with_fewer_training_days_than_required_does_not_count():
    assert count(stage(sessions_per_week=3), [session(0), session(3)], today=6) == 0
    assert count(stage(sessions_per_week=3), [session(0), session(3), session(5)], today=6) == 1


def test_two_sessions_on_one_day_are_one_training_day():
    assert count(stage(), [session(2), session(2)], today=6) == 0
    assert count(stage(), [session(2), session(2), session(4)], today=6) == 1


def test_the_current_week_counts_as_soon_as_it_reaches_the_required_days():
    sessions = weeks(0, 1) + [session(14)]
    assert count(stage(), sessions, today=15) == 2
    assert count(stage(), sessions + [session(15)], today=15) == 3


def test_missed_weeks_do_not_push_anyone_forward():
    verdict = check(stage(), weeks(0, 4), today=40)
    assert verdict.weeks_elapsed == 6
    assert verdict.counted_weeks == 2
    assert verdict.status == Status.BUILDING


def test_empty_weeks_in_the_middle_do_not_count_but_do_not_reset_earlier_weeks():
    sessions = weeks(0, 1) + weeks(5)
    assert count(stage(), sessions, today=38) == 3
    assert check(stage(), sessions, today=38).status == Status.READY


def test_back_dated_sessions_count_in_their_own_week():
    logged_late = weeks(2) + [session(0), session(3), session(8), session(9)]
    assert count(stage(), logged_late, today=20) == 3
    assert check(stage(), logged_late, today=20).status == Status.READY


# --- building --------------------------------------------------------------------------------


def test_building_says_how_many_weeks_are_done_and_when_the_next_stage_can_open():
    verdict = check(stage(), weeks(0), today=8)
    assert verdict.status == Status.BUILDING
    assert verdict.counted_weeks == 1
    assert verdict.earliest_advance == date(2026, 3, 21)
    assert verdict.reason == (
        "1 of 3 weeks done: a week counts with 2 training days. "
        "The next stage can open on Saturday, March 21 at the earliest."
    )
    assert not verdict.can_advance


def test_the_needed_weeks_start_with_the_current_week_when_it_does_not_count_yet():
    verdict = check(stage(), [session(0)], today=1)
    assert verdict.earliest_advance == day(14 + 1)


def test_the_needed_weeks_start_with_the_next_week_when_the_current_week_already_counts():
    verdict = check(stage(), weeks(0), today=4)
    assert verdict.earliest_advance == day(14 + 1)
    assert check(stage(), weeks(0, 1), today=11).earliest_advance == day(14 + 1)


def test_the_earliest_date_is_never_before_today():
    verdict = check(stage(), weeks(0, 1) + [session(14)], today=18)
    assert verdict.earliest_advance == day(18)


def test_the_earliest_date_counts_the_training_days_still_missing_in_the_last_needed_week():
    spec = stage(sessions_per_week=3)
    sessions = weeks(0, 1, days=(0, 2, 4)) + [session(14)]
    assert check(spec, sessions, today=17).earliest_advance == day(18)
    assert check(spec, sessions + [session(17)], today=17).earliest_advance == day(18)


def test_a_current_week_too_short_to_reach_the_required_days_is_not_a_needed_week():
    verdict = check(stage(), weeks(0, 1), today=20)
    assert verdict.earliest_advance == day(21 + 1)


def test_no_sessions_at_all_is_building_with_no_counted_weeks_and_an_earliest_date():
    verdict = check(stage(), [], today=0)
    assert verdict.status == Status.BUILDING
    assert verdict.counted_weeks == 0
    assert verdict.earliest_advance == day(14 + 1)
    assert "0 of 3 weeks done" in verdict.reason


def test_building_on_the_last_stage_gives_the_date_maintenance_can_begin():
    verdict = check(stage(position=4), weeks(0), today=8)
    assert verdict.status == Status.BUILDING
    assert verdict.earliest_advance == date(2026, 3, 21)
    assert "maintenance" in verdict.reason


# --- the target ------------------------------------------------------------------------------


def test_a_session_meets_a_reps_target_with_enough_sets_reaching_the_reps():
    assert session_meets_target(stage(), session(0, sets=reps(8, 9, 12)))
    assert session_meets_target(stage(), session(0, sets=reps(3, 8, 8, 8)))
    assert not session_meets_target(stage(), session(0, sets=reps(8, 8, 7)))
    assert not session_meets_target(stage(), session(0, sets=reps(8, 8)))


def test_a_session_meets_a_seconds_target_with_enough_sets_reaching_the_seconds():
    spec = stage(target_reps=None, target_seconds=30, target_sets=2)
    assert session_meets_target(spec, session(0, sets=(SetLog(seconds=30), SetLog(seconds=45))))
    assert not session_meets_target(spec, session(0, sets=(SetLog(seconds=30), SetLog(seconds=29))))
    assert not session_meets_target(spec, session(0, sets=reps(30, 30)))


def test_a_per_side_target_needs_enough_qualifying_sets_on_each_side():
    spec = stage(per_side=True, target_sets=2)
    left, right = reps(8, 8, side=Side.LEFT), reps(8, 8, side=Side.RIGHT)
    assert session_meets_target(spec, session(0, sets=left + right))
    assert not session_meets_target(spec, session(0, sets=left + reps(8, 7, side=Side.RIGHT)))
    assert not session_meets_target(spec, session(0, sets=reps(8, 8, 8, 8, side=Side.LEFT)))


def test_a_set_marked_both_counts_for_each_side():
    spec = stage(per_side=True, target_sets=2)
    assert session_meets_target(spec, session(0, sets=reps(8, 8, side=Side.BOTH)))
    mixed = reps(8, side=Side.BOTH) + reps(8, side=Side.LEFT) + reps(8, side=Side.RIGHT)
    assert session_meets_target(spec, session(0, sets=mixed))


# --- ready, due, keep going ------------------------------------------------------------------


def test_ready_when_the_minimum_is_reached_and_the_last_two_sessions_hit_the_target_without_pain():
    verdict = check(stage(), weeks(0, 1, 2), today=17)
    assert verdict.status == Status.READY
    assert verdict.can_advance
    assert verdict.earliest_advance is None
    assert "3 of 3 weeks done" in verdict.reason


def test_pain_at_three_in_both_of_the_last_two_sessions_still_allows_ready():
    sessions = weeks(0, 1) + [session(14, pain=3), session(17, pain=3)]
    assert check(stage(), sessions, today=17).status == Status.READY


def test_the_last_two_sessions_are_taken_by_day_not_by_their_place_in_the_list():
    sessions = [session(17), session(16), weak(15)] + weeks(0, 1) + [session(14)]
    assert check(stage(), sessions, today=17).status == Status.READY


def test_on_one_day_the_later_session_in_the_list_is_the_later_one():
    before = weeks(0, 1) + [session(14)]
    assert check(stage(), before + [weak(17), session(17), session(17)], today=17).status == (
        Status.READY
    )
    assert check(stage(), before + [session(17), session(17), weak(17)], today=17).status == (
        Status.KEEP_GOING
    )
    assert check(stage(), before + [session(17), session(17, pain=4)], today=17).status == (
        Status.HOLD
    )


def test_due_when_ready_and_the_maximum_weeks_are_counted():
    verdict = check(stage(), weeks(0, 1, 2, 3), today=24)
    assert verdict.status == Status.DUE
    assert verdict.can_advance
    assert check(stage(), weeks(0, 1, 2), today=24).status == Status.READY


def test_keep_going_when_the_minimum_is_reached_but_the_target_is_not_met():
    verdict = check(stage(per_side=True), weeks(0, 1) + [session(14), weak(17)], today=17)
    assert verdict.status == Status.KEEP_GOING
    assert not verdict.can_advance
    assert (
        "Hit 3 sets of 8 reps a side in two sessions in a row, with pain at 3/10 or less."
        in verdict.reason
    )


def test_keep_going_when_only_one_of_the_last_two_sessions_meets_the_target():
    assert check(stage(), weeks(0, 1) + [weak(14), session(17)], today=17).status == (
        Status.KEEP_GOING
    )


def test_keep_going_with_fewer_than_two_sessions():
    spec = stage(min_weeks=1, max_weeks=1, sessions_per_week=1)
    assert check(spec, [session(0)], today=0).status == Status.KEEP_GOING
    assert check(spec, [session(0), session(1)], today=1).status == Status.DUE


def test_keep_going_when_pain_was_above_three_in_the_second_to_last_session():
    sessions = weeks(0, 1) + [session(14, pain=4), session(17, pain=3)]
    assert check(stage(), sessions, today=17).status == Status.KEEP_GOING


def test_keep_going_says_the_seconds_target_without_sides():
    spec = stage(target_reps=None, target_seconds=45, target_sets=1)
    sessions = weeks(0, 1) + [
        session(14, sets=(SetLog(seconds=45),)),
        session(17, sets=(SetLog(seconds=40),)),
    ]
    verdict = check(spec, sessions, today=17)
    assert verdict.status == Status.KEEP_GOING
    assert "Hit 1 set of 45 s in two sessions in a row" in verdict.reason


# --- pain ------------------------------------------------------------------------------------


@pytest.mark.parametrize("pain", [4, 5])
def test_hold_when_the_latest_session_had_pain_of_four_or_five(pain):
    verdict = check(stage(), weeks(0, 1) + [session(14), session(17, pain=pain)], today=17)
    assert verdict.status == Status.HOLD
    assert not verdict.can_advance
    assert not verdict.suggest_previous
    assert f"{pain}/10" in verdict.reason
    assert "smaller range or a lighter dose" in verdict.reason


def test_step_back_when_the_latest_session_had_pain_above_five():
    verdict = check(stage(), weeks(0, 1) + [session(14), session(17, pain=6)], today=17)
    assert verdict.status == Status.STEP_BACK
    assert verdict.suggest_previous
    assert not verdict.can_advance
    assert "6/10" in verdict.reason


def test_step_back_when_the_latest_two_sessions_both_had_pain_of_four_or_more():
    sessions = weeks(0, 1) + [session(14, pain=4), session(17, pain=4)]
    verdict = check(stage(), sessions, today=17)
    assert verdict.status == Status.STEP_BACK
    assert "4/10 and 4/10" in verdict.reason


def test_step_back_points_to_the_previous_stage_when_there_is_one():
    verdict = check(stage(position=3), [session(0, pain=7)], today=0)
    assert "previous stage (stage 2)" in verdict.reason


def test_step_back_on_the_first_stage_suggests_a_smaller_range_or_dose():
    verdict = check(stage(position=1), [session(0, pain=7)], today=0)
    assert verdict.suggest_previous
    assert "previous stage" not in verdict.reason
    assert "smaller range or a lighter dose" in verdict.reason


def test_step_back_says_pain_that_persists_is_a_reason_to_see_a_professional():
    verdict = check(stage(), [session(0, pain=8)], today=0)
    assert "If the pain persists, see a physiotherapist or doctor." in verdict.reason


def test_step_back_takes_priority_over_hold():
    sessions = weeks(0, 1) + [session(14, pain=5), session(17, pain=4)]
    assert check(stage(), sessions, today=17).status == Status.STEP_BACK


def test_pain_takes_priority_even_while_building():
    assert check(stage(), [session(0, pain=4)], today=0).status == Status.HOLD
    assert check(stage(), [session(0, pain=6)], today=0).status == Status.STEP_BACK
    assert check(stage(), [session(0, pain=4)], today=0).earliest_advance is None


def test_pain_takes_priority_over_due_and_maintain():
    sessions = weeks(0, 1, 2) + [session(21), session(24, pain=5)]
    assert check(stage(), sessions, today=24).status == Status.HOLD
    assert check(stage(position=4), sessions, today=24).status == Status.HOLD


def test_pain_in_an_older_session_does_not_hold_once_the_last_two_are_comfortable():
    sessions = weeks(0, 1) + [session(13, pain=6), session(14), session(17)]
    assert check(stage(), sessions, today=17).status == Status.READY


# --- the last stage --------------------------------------------------------------------------


def test_maintain_when_the_last_stage_is_ready():
    verdict = check(stage(position=4), weeks(0, 1, 2), today=17)
    assert verdict.status == Status.MAINTAIN
    assert not verdict.can_advance
    assert "maintenance" in verdict.reason


def test_maintain_when_the_last_stage_is_due():
    assert check(stage(position=4), weeks(0, 1, 2, 3), today=24).status == Status.MAINTAIN


def test_the_last_stage_keeps_going_until_the_target_is_met():
    sessions = weeks(0, 1) + [session(14), weak(17)]
    assert check(stage(position=4), sessions, today=17).status == Status.KEEP_GOING


# --- staff edits -----------------------------------------------------------------------------


def test_a_lower_minimum_set_by_staff_applies_to_the_same_sessions():
    sessions = weeks(0, 1)
    assert check(stage(min_weeks=3), sessions, today=10).status == Status.BUILDING
    assert check(stage(min_weeks=2), sessions, today=10).status == Status.READY


def test_more_sessions_a_week_set_by_staff_applies_to_the_same_sessions():
    sessions = weeks(0, 1, 2)
    assert check(stage(sessions_per_week=2), sessions, today=17).status == Status.READY
    stricter = check(stage(sessions_per_week=3), sessions, today=17)
    assert stricter.status == Status.BUILDING
    assert stricter.counted_weeks == 0


# --- the next mornings -----------------------------------------------------------------------

READY_BY_17 = weeks(0, 1, 2)  # ready on day 17 (Monday, March 23) without mornings


def test_hold_when_the_hip_was_above_five_this_morning():
    verdict = check(stage(), READY_BY_17, today=17, mornings=[morning(17, pain=6)])
    assert verdict.status == Status.HOLD
    assert not verdict.can_advance
    assert verdict.reason.startswith("Your hip was 6/10 this morning: stay on this stage")
    assert "settle by the next morning, at 5/10 or less" in verdict.reason


def test_a_morning_at_five_does_not_hold():
    assert check(stage(), READY_BY_17, 17, mornings=[morning(17, pain=5)]).status == Status.READY


def test_hold_when_the_morning_is_two_above_the_morning_before_training():
    verdict = check(stage(), READY_BY_17, 17, mornings=[morning(15, pain=1), morning(17, pain=3)])
    assert verdict.status == Status.HOLD
    assert verdict.reason.startswith(
        "Your hip was 3/10 this morning, up from 1/10 on the morning of Saturday, March 21: "
        "stay on this stage"
    )


def test_a_rise_of_one_does_not_hold():
    mornings = [morning(15, pain=1), morning(17, pain=2)]
    assert check(stage(), READY_BY_17, 17, mornings=mornings).status == Status.READY


def test_the_morning_before_is_the_latest_one_before_not_the_lowest():
    mornings = [morning(10, pain=0), morning(15, pain=2), morning(17, pain=3)]
    assert check(stage(), READY_BY_17, 17, mornings=mornings).status == Status.READY


def test_step_back_when_two_mornings_running_are_above_five():
    verdict = check(stage(), READY_BY_17, 17, mornings=[morning(16, pain=6), morning(17, pain=7)])
    assert verdict.status == Status.STEP_BACK
    assert verdict.suggest_previous
    assert verdict.reason == (
        "Your hip was worse after training two mornings running (6/10 yesterday morning, 7/10 "
        "this morning): go back to the previous stage (stage 1) for now. "
        "If the pain persists, see a physiotherapist or doctor."
    )


def test_step_back_when_two_mornings_running_rose_or_were_above_five():
    mornings = [morning(13, pain=1), morning(15, pain=3), morning(17, pain=6)]
    assert check(stage(), READY_BY_17, 17, mornings=mornings).status == Status.STEP_BACK
    rising = [morning(13, pain=0), morning(15, pain=2), morning(17, pain=4)]
    assert check(stage(), READY_BY_17, 17, mornings=rising).status == Status.STEP_BACK


def test_morning_step_back_on_the_first_stage_suggests_a_smaller_range_or_dose():
    verdict = check(stage(position=1), [], 1, mornings=[morning(0, pain=6), morning(1, pain=6)])
    assert verdict.status == Status.STEP_BACK
    assert "smaller range or a lighter dose" in verdict.reason


def test_a_sore_morning_followed_by_a_settled_one_no_longer_holds():
    mornings = [morning(15, pain=6), morning(17, pain=2)]
    assert check(stage(), READY_BY_17, 17, mornings=mornings).status == Status.READY


def test_mornings_are_taken_by_day_not_by_their_place_in_the_list():
    mornings = [morning(17, pain=2), morning(15, pain=6)]
    assert check(stage(), READY_BY_17, 17, mornings=mornings).status == Status.READY


def test_mornings_after_today_are_ignored():
    assert check(stage(), READY_BY_17, 17, mornings=[morning(18, pain=8)]).status == Status.READY


def test_mornings_before_the_stage_started_only_serve_as_the_morning_before():
    assert check(stage(), [], 0, mornings=[morning(-2, pain=7)]).status == Status.BUILDING
    verdict = check(stage(), [], 1, mornings=[morning(-1, pain=0), morning(1, pain=2)])
    assert verdict.status == Status.HOLD
    assert "up from 0/10 on the morning of Thursday, March 5" in verdict.reason


def test_an_earlier_morning_says_when_it_was():
    verdict = check(stage(), READY_BY_17, 19, mornings=[morning(18, pain=6)])
    assert verdict.reason.startswith("Your hip was 6/10 yesterday morning:")


def test_a_sore_morning_holds_while_building_and_on_the_last_stage():
    assert check(stage(), [session(0)], 1, mornings=[morning(1, pain=6)]).status == Status.HOLD
    last = check(stage(position=4), READY_BY_17, 17, mornings=[morning(17, pain=6)])
    assert last.status == Status.HOLD


def test_a_step_back_from_training_pain_outranks_a_sore_morning():
    sessions = weeks(0, 1) + [session(14), session(17, pain=6)]
    verdict = check(stage(), sessions, 17, mornings=[morning(17, pain=6)])
    assert verdict.status == Status.STEP_BACK
    assert verdict.reason.startswith("Pain was 6/10 in your latest session")


def test_a_step_back_from_two_sore_mornings_outranks_a_hold_from_training_pain():
    sessions = weeks(0, 1) + [session(14), session(17, pain=4)]
    verdict = check(stage(), sessions, 17, mornings=[morning(16, pain=6), morning(17, pain=6)])
    assert verdict.status == Status.STEP_BACK
    assert verdict.reason.startswith("Your hip was worse after training two mornings running")


def test_on_a_tie_the_reason_from_training_comes_first():
    sessions = weeks(0, 1) + [session(14), session(17, pain=4)]
    verdict = check(stage(), sessions, 17, mornings=[morning(17, pain=6)])
    assert verdict.status == Status.HOLD
    assert verdict.reason.startswith("Pain was 4/10 in your latest session")


def test_a_stage_is_not_ready_while_the_latest_morning_is_stiffer_than_usual():
    verdict = check(stage(), READY_BY_17, 17, mornings=[morning(17, stiffness=Stiffness.WORSE)])
    assert verdict.status == Status.KEEP_GOING
    assert not verdict.can_advance
    assert verdict.reason == (
        "3 of 3 weeks done and your last two sessions hit 3 sets of 8 reps with pain at 3/10 or "
        "less, but your hip felt stiffer than usual this morning: stay on this stage until a "
        "morning feels the same or better."
    )
    due = check(stage(), weeks(0, 1, 2, 3), 24, mornings=[morning(24, stiffness=Stiffness.WORSE)])
    assert due.status == Status.KEEP_GOING


def test_a_stiff_morning_followed_by_a_usual_one_no_longer_stops_ready():
    mornings = [morning(15, stiffness=Stiffness.WORSE), morning(17, stiffness=Stiffness.SAME)]
    assert check(stage(), READY_BY_17, 17, mornings=mornings).status == Status.READY
    better = [morning(15, stiffness=Stiffness.WORSE), morning(17, stiffness=Stiffness.BETTER)]
    assert check(stage(), READY_BY_17, 17, mornings=better).status == Status.READY


def test_a_stiff_morning_leaves_maintenance_on_the_last_stage_alone():
    mornings = [morning(17, stiffness=Stiffness.WORSE)]
    assert check(stage(position=4), READY_BY_17, 17, mornings=mornings).status == Status.MAINTAIN
