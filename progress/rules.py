"""The progression rule: when a stage is done and the next one may open.

Plain values in, a verdict out. No Django here: the views turn model rows into these
dataclasses and show the verdict.

Weeks are counted from the day the stage was started: week k is the seven days
[started + 7k, started + 7k + 6]. A week counts when it holds at least `sessions_per_week`
training days (distinct days with a session). Counted weeks, not calendar weeks, decide.

Morning check-ins close the pain loop: pain during training is acceptable up to 5/10 if it has
settled by the next morning and does not creep up. A morning above 5/10, or one at least 2 points
above the morning before the latest training, holds the stage; two such mornings running step
back; and a stage is not ready while the latest morning says the hip is stiffer than usual.

The rule reads the latest LOOKBACK_WEEKS weeks of a stage only: that is far more than any stage
asks for, so the verdict is the same for anyone moving up the ladder, and the cost of a verdict
does not grow with years spent maintaining the last stage. After a break longer than that, the
weeks are counted afresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from operator import attrgetter

MAX_COMFORTABLE_PAIN = 3  # pain at or below this lets someone advance
MAX_HOLD_PAIN = 5  # pain 4-5 holds; above this steps back
LOOKBACK_WEEKS = 12  # the weeks of a stage the rule reads, up to and including the current one
MAX_MORNING_PAIN = 5  # morning pain above this holds
MORNING_RISE = 2  # morning pain this much above the morning before training holds
SEE_SOMEONE_PAIN = 7  # pain at or above this, in a drill or a morning: show when to stop


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


@dataclass(frozen=True)
class SetLog:
    reps: int | None = None
    seconds: int | None = None
    side: Side = Side.BOTH


@dataclass(frozen=True)
class SessionLog:
    day: date  # the local calendar day (already in the person's time zone)
    pain: int  # 0-10
    # The rule reads sets of the latest two sessions only (did they hit the target?); older
    # sessions count by their day and pain, so a caller may leave their sets out, or pass any
    # object with a day and a pain in their place (progression.track_cards passes its rows).
    sets: tuple[SetLog, ...]


class Stiffness(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


@dataclass(frozen=True)
class MorningLog:
    """A morning check-in: how the hip felt on waking, the day after training."""

    day: date  # the local calendar day
    pain: int  # 0-10
    stiffness: Stiffness = Stiffness.SAME


@dataclass(frozen=True)
class StageSpec:
    position: int
    total_stages: int  # stages in the track; position == total_stages means last stage
    min_weeks: int = 3
    max_weeks: int = 4
    sessions_per_week: int = 2
    target_sets: int = 3
    target_reps: int | None = None
    target_seconds: int | None = None
    per_side: bool = False

    @property
    def is_last(self) -> bool:
        return self.position >= self.total_stages

    @property
    def has_previous(self) -> bool:
        return self.position > 1


class Status(StrEnum):
    BUILDING = "building"
    READY = "ready"
    DUE = "due"
    KEEP_GOING = "keep going"
    HOLD = "hold"
    STEP_BACK = "step back"
    MAINTAIN = "maintain"


@dataclass(frozen=True)
class Verdict:
    status: Status
    reason: str  # plain English, with the numbers behind it
    counted_weeks: int
    weeks_elapsed: int  # weeks (started..today) begun so far, at least 1 on the start day
    # While building: the earliest date the stage can be complete (the next stage opens, or on
    # the last stage, maintenance begins). Otherwise None.
    earliest_advance: date | None

    @property
    def can_advance(self) -> bool:
        return self.status in (Status.READY, Status.DUE)

    @property
    def suggest_previous(self) -> bool:
        return self.status == Status.STEP_BACK


# --- targets -------------------------------------------------------------------------------


def _set_reaches_target(stage: StageSpec, logged: SetLog) -> bool:
    """A set qualifies when it reaches every target the stage sets (reps, seconds or both)."""
    if stage.target_reps is not None and (logged.reps is None or logged.reps < stage.target_reps):
        return False
    return stage.target_seconds is None or (
        logged.seconds is not None and logged.seconds >= stage.target_seconds
    )


def session_meets_target(stage: StageSpec, session: SessionLog) -> bool:
    """At least `target_sets` qualifying sets; on per-side stages, that many for each side.

    A set marked `both` counts for the left and for the right. On stages that are not per side,
    every qualifying set counts whatever side it is marked with.
    """
    qualifying = [s for s in session.sets if _set_reaches_target(stage, s)]
    if not stage.per_side:
        return len(qualifying) >= stage.target_sets
    left = sum(1 for s in qualifying if s.side in (Side.LEFT, Side.BOTH))
    right = sum(1 for s in qualifying if s.side in (Side.RIGHT, Side.BOTH))
    return left >= stage.target_sets and right >= stage.target_sets


# --- weeks -----------------------------------------------------------------------------------


def lookback_start(started: date, today: date) -> date:
    """The first day the rule reads: the stage's start, or the start of the stage week
    LOOKBACK_WEEKS - 1 weeks before the current one."""
    if today < started:
        return started
    return _week_start(started, max(0, _week_of(started, today) - LOOKBACK_WEEKS + 1))


def _in_window(sessions: Sequence[SessionLog], started: date, today: date) -> list[SessionLog]:
    """The sessions the rule reads, by day; same-day sessions keep their list order."""
    first = lookback_start(started, today)
    return sorted((s for s in sessions if first <= s.day <= today), key=_day)


_day = attrgetter("day")


def _week_of(started: date, day: date) -> int:
    return (day - started).days // 7


def _week_start(started: date, week: int) -> date:
    return started + timedelta(days=7 * week)


def weeks_elapsed(started: date, today: date) -> int:
    """Weeks of the stage begun by today: 1 on the day it starts, 0 before."""
    return 0 if today < started else _week_of(started, today) + 1


def _training_days_by_week(started: date, sessions: Sequence[SessionLog]) -> dict[int, set[date]]:
    weeks: dict[int, set[date]] = {}
    for day in map(_day, sessions):
        week = (day - started).days // 7  # _week_of, written out: this runs for every session
        if week in weeks:
            weeks[week].add(day)
        else:
            weeks[week] = {day}
    return weeks


def _counted(stage: StageSpec, days_by_week: dict[int, set[date]]) -> int:
    return sum(1 for days in days_by_week.values() if len(days) >= stage.sessions_per_week)


def counted_weeks(
    stage: StageSpec, started: date, sessions: Sequence[SessionLog], today: date
) -> int:
    """Weeks begun by `today` that hold at least `sessions_per_week` training days."""
    window = _in_window(sessions, started, today)
    return _counted(stage, _training_days_by_week(started, window))


def _earliest_complete(
    stage: StageSpec, started: date, days_by_week: dict[int, set[date]], today: date, needed: int
) -> date:
    """The earliest day the last still-needed week could count, training from today on.

    Needed weeks start with the current week when it does not count yet and can still reach
    `sessions_per_week` training days before it ends; otherwise with the next week.
    """
    spw = stage.sessions_per_week
    if today < started:
        return _week_start(started, needed - 1) + timedelta(days=spw - 1)
    current = _week_of(started, today)
    days = days_by_week.get(current, set())
    first_needed = current + 1
    if len(days) < spw:
        # Training every day from today (or tomorrow, if today already has a session).
        missing = spw - len(days)
        finish = today + timedelta(days=missing if today in days else missing - 1)
        if finish <= _week_start(started, current + 1) - timedelta(days=1):
            if needed == 1:
                return finish
            first_needed = current
    # The last needed week is a future one here, so this is always after today.
    last_needed = first_needed + needed - 1
    return _week_start(started, last_needed) + timedelta(days=spw - 1)


# --- wording ---------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _target_text(stage: StageSpec) -> str:
    """'3 sets of 8 reps a side', '2 sets of 30 s', '3 sets of 8 reps and 30 s'."""
    amounts = []
    if stage.target_reps is not None:
        amounts.append(_plural(stage.target_reps, "rep"))
    if stage.target_seconds is not None:
        amounts.append(f"{stage.target_seconds} s")
    amount = " and ".join(amounts)
    sets = _plural(stage.target_sets, "set")
    text = f"{sets} of {amount}" if amount else sets
    return f"{text} a side" if stage.per_side else text


def _weeks_done(counted: int, minimum: int) -> str:
    return f"{counted} of {_plural(minimum, 'week')} done"


SEE_SOMEONE = "If the pain persists, see a physiotherapist or doctor."


def _step_back_advice(stage: StageSpec) -> str:
    if stage.has_previous:
        return f"go back to the previous stage (stage {stage.position - 1}) for now"
    return "use a smaller range or a lighter dose for now"


def _pain_verdict(stage: StageSpec, window: list[SessionLog]) -> tuple[Status, str] | None:
    if not window:
        return None
    latest = window[-1]
    previous = window[-2] if len(window) >= 2 else None
    two_in_a_row = previous is not None and min(latest.pain, previous.pain) > MAX_COMFORTABLE_PAIN
    if latest.pain > MAX_HOLD_PAIN or two_in_a_row:
        if two_in_a_row and previous is not None:
            pain = f"Pain was {previous.pain}/10 and {latest.pain}/10 in your last two sessions"
        else:
            pain = f"Pain was {latest.pain}/10 in your latest session"
        return Status.STEP_BACK, f"{pain}: {_step_back_advice(stage)}. {SEE_SOMEONE}"
    if latest.pain > MAX_COMFORTABLE_PAIN:
        return Status.HOLD, (
            f"Pain was {latest.pain}/10 in your latest session: stay on this stage and don't "
            "advance yet. Try a smaller range or a lighter dose until pain is at "
            f"{MAX_COMFORTABLE_PAIN}/10 or less."
        )
    return None


def _morning(day: date, today: date) -> str:
    """'this morning', 'yesterday morning', 'on the morning of Monday, March 16'."""
    if day == today:
        return "this morning"
    if day == today - timedelta(days=1):
        return "yesterday morning"
    return f"on the morning of {day:%A, %B} {day.day}"


def _sore_morning(morning: MorningLog, before: MorningLog | None, today: date) -> str | None:
    """Why this morning holds a stage, in words; None when it does not."""
    if morning.pain > MAX_MORNING_PAIN:
        return f"Your hip was {morning.pain}/10 {_morning(morning.day, today)}"
    if before is not None and morning.pain - before.pain >= MORNING_RISE:
        return (
            f"Your hip was {morning.pain}/10 {_morning(morning.day, today)}, up from "
            f"{before.pain}/10 {_morning(before.day, today)}"
        )
    return None


def _morning_verdict(
    stage: StageSpec, mornings: Sequence[MorningLog], first: date, today: date
) -> tuple[Status, str] | None:
    """Hold on a sore latest morning, step back on two sore mornings running.

    A morning is compared with the one before it: check-ins come the day after a training day,
    so the one before is the last morning before that training. Mornings before `first` serve
    only as that comparison.
    """
    known = sorted((m for m in mornings if m.day <= today), key=lambda m: m.day)
    before = dict(zip((m.day for m in known[1:]), known, strict=False))
    in_window = [m for m in known if m.day >= first]
    if not in_window:
        return None
    latest = in_window[-1]
    sore = _sore_morning(latest, before.get(latest.day), today)
    if sore is None:
        return None
    if len(in_window) >= 2:
        previous = in_window[-2]
        if _sore_morning(previous, before.get(previous.day), today) is not None:
            return Status.STEP_BACK, (
                f"Your hip was worse after training two mornings running ({previous.pain}/10 "
                f"{_morning(previous.day, today)}, {latest.pain}/10 {_morning(latest.day, today)})"
                f": {_step_back_advice(stage)}. {SEE_SOMEONE}"
            )
    return Status.HOLD, (
        f"{sore}: stay on this stage and don't advance yet. After training, your hip should "
        f"settle by the next morning, at {MAX_MORNING_PAIN}/10 or less and no worse than the "
        "morning before."
    )


def _stiffer(mornings: Sequence[MorningLog], first: date, today: date) -> MorningLog | None:
    """The latest morning check-in, when it says the hip is stiffer than usual."""
    in_window = [m for m in mornings if first <= m.day <= today]
    latest = max(in_window, key=lambda m: m.day, default=None)
    return latest if latest is not None and latest.stiffness == Stiffness.WORSE else None


# --- the verdict -----------------------------------------------------------------------------


def evaluate(
    stage: StageSpec,
    started: date,
    sessions: Sequence[SessionLog],
    today: date,
    mornings: Sequence[MorningLog] = (),
) -> Verdict:
    """Where someone stands on a stage today. Pain first (during training, then the next
    mornings), then weeks, then the target."""
    first = lookback_start(started, today)
    window = _in_window(sessions, started, today)
    days_by_week = _training_days_by_week(started, window)
    counted = _counted(stage, days_by_week)
    elapsed = weeks_elapsed(started, today)

    def verdict(status: Status, reason: str, earliest: date | None = None) -> Verdict:
        return Verdict(status, reason, counted, elapsed, earliest)

    # The graver of the two pain verdicts; on a tie, the one from training.
    concerns = [
        c
        for c in (_pain_verdict(stage, window), _morning_verdict(stage, mornings, first, today))
        if c
    ]
    if concerns:
        return verdict(*max(concerns, key=lambda c: c[0] == Status.STEP_BACK))

    spw = _plural(stage.sessions_per_week, "training day")
    done = _weeks_done(counted, stage.min_weeks)
    if counted < stage.min_weeks:
        earliest = _earliest_complete(
            stage, started, days_by_week, today, stage.min_weeks - counted
        )
        when = (
            "This stage can become your maintenance" if stage.is_last else "The next stage can open"
        )
        on = f"{earliest:%A, %B} {earliest.day}"
        reason = f"{done}: a week counts with {spw}. {when} on {on} at the earliest."
        return verdict(Status.BUILDING, reason, earliest)

    target = _target_text(stage)
    comfortable = f"with pain at {MAX_COMFORTABLE_PAIN}/10 or less"
    last_two = window[-2:]
    ready = len(last_two) == 2 and all(
        session_meets_target(stage, s) and s.pain <= MAX_COMFORTABLE_PAIN for s in last_two
    )
    if not ready:
        return verdict(
            Status.KEEP_GOING, f"{done}. Hit {target} in two sessions in a row, {comfortable}."
        )

    hit = f"your last two sessions hit {target} {comfortable}"
    stiffer = _stiffer(mornings, first, today)
    if stiffer is not None and not stage.is_last:
        return verdict(
            Status.KEEP_GOING,
            f"{done} and {hit}, but your hip felt stiffer than usual "
            f"{_morning(stiffer.day, today)}: stay on this stage until a morning feels the same "
            "or better.",
        )
    if stage.is_last:
        return verdict(
            Status.MAINTAIN,
            f"{done} and {hit}. This is the last stage: keep it as maintenance, "
            f"about {_plural(stage.sessions_per_week, 'session')} a week.",
        )
    if counted >= stage.max_weeks:
        return verdict(
            Status.DUE,
            f"{_plural(counted, 'week')} done (the plan is {stage.min_weeks} to "
            f"{stage.max_weeks}) and {hit}. Time to move on to the next stage.",
        )
    return verdict(Status.READY, f"{done} and {hit}. You can start the next stage.")
