"""Left and right, and the self-tests: is the training working, and is one side behind?

Plain values in, plain values out; no database. The views fetch the numbers (a self-test's
two knee-raise holds, a drill's sets summed by side in the database) and these functions
compare them.

The gap between the sides is the weaker side's shortfall as a percentage of the stronger
side: a left hold of 30 s against a right one of 40 s is a gap of 25%. Above GAP_LIMIT the
pages say so in words, and which side to start each set on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

GAP_LIMIT = 15  # percent: a gap above it is pointed out
BALANCE_WEEKS = 4  # a drill's sides are compared over its last four weeks of sets
RETEST_WEEKS = 4  # the self-test is offered again this long after the last one


def gap_percent(left: float | None, right: float | None) -> int | None:
    """The weaker side's shortfall as a whole percentage of the stronger side; None when a
    side is missing or neither side has anything to compare (both zero)."""
    if left is None or right is None:
        return None
    stronger, weaker = max(left, right), min(left, right)
    if stronger <= 0:
        return None
    return round(100 * (stronger - weaker) / stronger)


@dataclass(frozen=True)
class Balance:
    """The two sides of one drill or test, as numbers of one kind (seconds or reps)."""

    name: str  # "Standing knee-raise hold", a drill's name
    left: float | None
    right: float | None
    timed: bool = True  # holds in seconds; False: reps

    @cached_property
    def gap(self) -> int | None:
        return gap_percent(self.left, self.right)

    @property
    def weaker(self) -> str | None:
        """'left' or 'right', or None when the sides are level or cannot be compared."""
        if not self.gap:
            return None
        return "left" if self.left < self.right else "right"

    @property
    def uneven(self) -> bool:
        """The gap is above GAP_LIMIT, as the pages round it."""
        return self.gap is not None and self.gap > GAP_LIMIT

    @property
    def advice(self) -> str:
        """In plain words, for a gap above the limit: 'your left side holds 25% less: start
        each set on the left'. Empty otherwise."""
        if not self.uneven:
            return ""
        side = self.weaker
        weaker = min(self.left, self.right)
        if weaker == 0:
            did = "could not hold it" if self.timed else "did no reps"
        elif self.timed:
            did = f"holds {self.gap}% less"
        else:
            did = f"does {self.gap}% fewer reps"
        return f"your {side} side {did}: start each set on the {side}"

    @property
    def left_text(self) -> str:
        return _amount(self.left, self.timed)

    @property
    def right_text(self) -> str:
        return _amount(self.right, self.timed)

    @property
    def gap_text(self) -> str:
        """'25% (left weaker)', 'level', or '–' when the sides cannot be compared."""
        if self.gap is None:
            return "–"
        if not self.gap:
            return "level"
        return f"{self.gap}% ({self.weaker} weaker)"


def _amount(value: float | None, timed: bool) -> str:
    """'24 s', '9.5 reps', '–' for a side not done."""
    if value is None:
        return "–"
    return f"{_n(value)} s" if timed else f"{_n(value)} reps"


def per_set(total: float, sets: int) -> float | None:
    return round(total / sets, 1) if sets else None


def drill_balances(rows, drills: dict) -> list[Balance]:
    """One Balance for each one-sided drill in rows of (drill id, side, seconds added up, reps
    added up, sets), as SessionSideQuerySet.side_totals sums them: each side's average set (a
    hold in seconds, or reps), so an extra set on one side does not count as a gap. drills:
    the catalog's drills by id. Ordered by drill name; a drill with one side only is left
    out (nothing to compare)."""
    sides: dict[int, dict[str, float | None]] = {}
    for drill_id, side, seconds, reps, sets in rows:
        drill = drills.get(drill_id)
        if drill is None or side not in ("left", "right"):
            continue
        total = seconds if drill.is_timed else reps
        sides.setdefault(drill_id, {})[side] = per_set(total, sets)
    found = [
        Balance(drills[d].name, s.get("left"), s.get("right"), drills[d].is_timed)
        for d, s in sides.items()
        if s.get("left") is not None and s.get("right") is not None
    ]
    return sorted(found, key=lambda b: b.name)


@dataclass(frozen=True)
class SideSession:
    """One session of a one-sided drill: each side's number (the longest hold, or the reps
    added up) and the gap between them."""

    day: date
    balance: Balance


def side_sessions(rows, name: str, timed: bool) -> list[SideSession]:
    """Rows of (day, session id, side, longest hold, seconds added up, reps added up, sets), a
    session's left and right oldest first (overview.drill_sides), as a session each, newest
    first: each side's longest hold, or its reps added up."""
    sessions: dict[int, tuple[date, dict[str, int]]] = {}
    for day, session_id, side, best, _seconds, reps, _sets in rows:
        sessions.setdefault(session_id, (day, {}))[1][side] = best if timed else reps
    return [
        SideSession(day, Balance(name, sides.get("left"), sides.get("right"), timed))
        for day, sides in reversed(sessions.values())
    ]


def recent_balance(rows, since: date, name: str, timed: bool) -> Balance | None:
    """The same rows from `since` on, compared as drill_balances compares a drill's sides:
    each side's average set. None unless both sides were done."""
    totals = {"left": [0, 0], "right": [0, 0]}
    for day, _session, side, _best, seconds, reps, sets in rows:
        if day >= since and side in totals:
            totals[side][0] += seconds if timed else reps
            totals[side][1] += sets
    left, right = per_set(*totals["left"]), per_set(*totals["right"])
    if left is None or right is None:
        return None
    return Balance(name, left, right, timed)


# --- the self-test ----------------------------------------------------------------------------

KNEE_RAISE = "Standing knee-raise hold"


@dataclass(frozen=True)
class SelfTestResult:
    """One self-test as the pages show it."""

    pk: int
    day: date
    knee: Balance
    leg_lift: int | None  # 0 to 4
    everyday: int | None  # 0 to 10

    @property
    def day_text(self) -> str:
        return f"{self.day:%a, %b} {self.day.day}, {self.day.year}"


def results(rows) -> list[SelfTestResult]:
    """Rows of (pk, day, knee_left, knee_right, leg_lift, everyday), as
    SelfTestQuerySet.rows gives them, newest first."""
    return [
        SelfTestResult(pk, day, Balance(KNEE_RAISE, left, right), leg_lift, everyday)
        for pk, day, left, right, leg_lift, everyday in rows
    ]


def latest_knee_balance(tests: list[SelfTestResult]) -> Balance | None:
    """The newest test with both sides timed: a side left out is not a gap."""
    return next((t.knee for t in tests if t.knee.gap is not None), None)


@dataclass(frozen=True)
class Change:
    """How one measure moved from the first self-test shown to the latest."""

    label: str
    first: float
    latest: float
    unit: str = ""

    @property
    def text(self) -> str:
        if self.latest == self.first:
            return f"{self.label}: {_n(self.latest)}{self.unit}, the same as at first"
        direction = "up" if self.latest > self.first else "down"
        return (
            f"{self.label}: {_n(self.latest)}{self.unit}, {direction} from {_n(self.first)}"
            f"{self.unit}"
        )


def _n(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def changes(tests: list[SelfTestResult]) -> list[Change]:
    """For each measure tested at least twice, the oldest value against the newest (tests newest
    first). The knee-raise hold is the two sides' average when both were timed."""

    def knee(t: SelfTestResult) -> float | None:
        if t.knee.left is None or t.knee.right is None:
            return None
        return (t.knee.left + t.knee.right) / 2

    measures = [
        ("Knee-raise hold, average of both sides", knee, " s"),
        ("Leg-lift control", lambda t: t.leg_lift, " of 4"),
        ("Everyday hips", lambda t: t.everyday, "/10"),
    ]
    found = []
    for label, value, unit in measures:
        values = [v for t in tests if (v := value(t)) is not None]
        if len(values) >= 2:
            found.append(Change(label, values[-1], values[0], unit))
    return found


def self_test_due(last_test: date | None, today: date, completed_stage_starts: list[date]) -> bool:
    """Offer the self-test: none taken yet, the last one RETEST_WEEKS or more ago, or a stage
    complete (its starting day given) with no test since that stage began."""
    if last_test is None:
        return True
    if today - last_test >= timedelta(weeks=RETEST_WEEKS):
        return True
    return any(last_test < started for started in completed_stage_starts)
