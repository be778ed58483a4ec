"""History: how a person's training looks over time. Plain values in, page pieces out.

Nothing here touches the database: the views fetch bounded rows (a year of daily counts, one
drill's points, the stage changes) and these functions shape them. The SVG is written as text
here rather than by template loops: a year of heat-map cells through the template engine would
cost more than the rest of the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import NamedTuple

from . import rules

HEAT_WEEKS = 53  # a year of weeks, Monday to Sunday, the last one holding today
ADHERENCE_WEEKS = 12
RECENT_WEEKS = 12  # the drill chart's per-session view


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def heat_start(today: date) -> date:
    """The Monday the heat map begins: 52 weeks before the week holding today."""
    return week_start(today) - timedelta(weeks=HEAT_WEEKS - 1)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def long_day(day: date) -> str:
    """'Mon 30 Nov 2026' (by table: a year of heat-map cells calls this 371 times)."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def week_of(day: date) -> str:
    return f"Week of {day.day} {day:%b %Y}"


def month_of(day: date) -> str:
    return f"{day:%B %Y}"


# --- heat map ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthSummary:
    label: str  # "March 2026"
    days: int
    sessions: int


@dataclass(frozen=True)
class HeatMap:
    today: date
    counts: dict[date, int]  # sessions on each training day from heat_start(today) to today
    halves: tuple[str, str] = ("", "")  # two SVGs of about half a year each
    months: tuple[MonthSummary, ...] = ()

    @property
    def start(self) -> date:
        return heat_start(self.today)

    @property
    def training_days(self) -> int:
        return len(self.counts)

    @property
    def sessions(self) -> int:
        return sum(self.counts.values())


CELL, PITCH, LEFT, TOP = 14, 17, 30, 18


def _heat_svg(counts: dict[date, int], first: date, weeks: int, today: date, ident: str) -> str:
    last = min(first + timedelta(weeks=weeks) - timedelta(days=1), today)
    days = sum(1 for d in counts if first <= d <= last)
    width, height = LEFT + weeks * PITCH, TOP + 7 * PITCH
    title = f"Training days from {long_day(first)} to {long_day(last)}: {days}"
    parts = [
        f'<svg class="heat-map" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-title"><title id="{ident}-title">{title}</title>'
        # One cell drawn once and used for every day: a year of days is most of the page.
        f'<defs><rect id="{ident}-day" width="{CELL}" height="{CELL}" rx="2"/></defs>'
    ]
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
        y = TOP + row * PITCH + CELL - 3
        parts.append(f'<text class="chart-label" x="0" y="{y}">{name}</text>')
    labelled = -3
    # A cell a day, its level the sessions up to 4, named as long_day names a day: written out
    # in the loop, as a year of cells is most of what the history page costs to build.
    rows = [(DAY_NAMES[row], TOP + row * PITCH) for row in range(7)]
    one_day = timedelta(days=1)
    for column in range(weeks):
        day = first + timedelta(weeks=column)
        x = LEFT + column * PITCH
        sunday = day + timedelta(days=6)
        # A month's name above the week holding its first Sunday, when there is room for it.
        if sunday.day <= 7 and column - labelled >= 3 and column < weeks - 1:
            labelled = column
            parts.append(f'<text class="chart-label" x="{x}" y="12">{sunday:%b}</text>')
        for name, y in rows:
            if day > today:
                break
            count = counts.get(day, 0)
            sessions = (
                "no training" if not count else "1 session" if count == 1 else f"{count} sessions"
            )
            parts.append(
                f'<use href="#{ident}-day" x="{x}" y="{y}" class="d{min(count, 4)}"><title>{name} '
                f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}: {sessions}</title></use>"
            )
            day += one_day
    parts.append("</svg>")
    return "".join(parts)


def _months(counts: dict[date, int], start: date, today: date) -> tuple[MonthSummary, ...]:
    totals: dict[tuple[int, int], list[int]] = {}
    month = date(start.year, start.month, 1)
    while month <= today:
        totals[(month.year, month.month)] = [0, 0]
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for day, count in counts.items():
        total = totals.get((day.year, day.month))
        if total is not None:
            total[0] += 1
            total[1] += count
    return tuple(
        MonthSummary(f"{date(y, m, 1):%B %Y}", days, sessions)
        for (y, m), (days, sessions) in reversed(totals.items())
    )


def heat_map(counts: dict[date, int], today: date) -> HeatMap:
    """The last twelve months of training days, as two half-year grids and month totals."""
    start = heat_start(today)
    counts = {d: n for d, n in counts.items() if start <= d <= today and n > 0}
    split = HEAT_WEEKS // 2
    halves = (
        _heat_svg(counts, start, split, today, "heat-a"),
        _heat_svg(counts, start + timedelta(weeks=split), HEAT_WEEKS - split, today, "heat-b"),
    )
    return HeatMap(today, counts, halves, _months(counts, start, today))


# --- streaks and adherence --------------------------------------------------------------------


@dataclass(frozen=True)
class WeekAdherence:
    start: date
    planned: int
    trained: int
    current: bool  # this week, still going

    @property
    def met(self) -> bool:
        return self.trained >= self.planned

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.trained / self.planned)) if self.planned else 100


@dataclass(frozen=True)
class Streaks:
    days: int  # training days in a row, up to today (or yesterday, when today is still open)
    weeks: int  # weeks in a row that met the plan, the current week once it has
    best_weeks: int  # the longest such run in the last twelve months
    days_capped: bool = False  # the run reaches back past the twelve months looked at
    weeks_capped: bool = False


@dataclass(frozen=True)
class Adherence:
    weeks: tuple[WeekAdherence, ...] = ()  # newest first
    streaks: Streaks = Streaks(0, 0, 0)

    @property
    def percent(self) -> int | None:
        """Planned days trained over the complete weeks shown, extra days not counted."""
        done = [w for w in self.weeks if not w.current]
        planned = sum(w.planned for w in done)
        if not planned:
            return None
        return round(100 * sum(min(w.trained, w.planned) for w in done) / planned)


def adherence(days: set[date], today: date, planned: int) -> Adherence:
    start = heat_start(today)
    this_week = week_start(today)
    trained = [0] * HEAT_WEEKS
    for day in days:
        if start <= day <= today:
            trained[(day - start).days // 7] += 1
    mondays = [start + timedelta(weeks=n) for n in range(HEAT_WEEKS)]
    weeks = [
        WeekAdherence(monday, planned, count, monday == this_week)
        for monday, count in zip(mondays, trained, strict=True)
    ]

    run = best = 0
    for week in weeks:
        run = run + 1 if week.met else 0
        best = max(best, run)
    current = 0
    for week in reversed(weeks):
        if week.met:
            current += 1
        elif not week.current:
            break
    day = today if today in days else today - timedelta(days=1)
    in_a_row = 0
    while day in days and day >= start:
        in_a_row += 1
        day -= timedelta(days=1)
    weeks_capped = current >= len(weeks) - (0 if weeks[-1].met else 1)
    streaks = Streaks(in_a_row, current, best, day < start, weeks_capped)
    return Adherence(tuple(reversed(weeks[-ADHERENCE_WEEKS:])), streaks)


# --- stage timeline ---------------------------------------------------------------------------


@dataclass
class StageSpan:
    stage: object  # exercises.models.Stage
    began: date
    how: str  # "Started", "Moved up", "Stepped back"
    why: str
    ended: date | None = None
    counted_weeks: int | None = None
    current: bool = False
    week: int | None = None  # the current stage's week today (counting from 1), without a verdict

    @property
    def when(self) -> str:
        """'Moved up Mar 2, 2026 · until Apr 6, 2026 · 4 counted weeks', 'Moved up Mar 2,
        2026 · current stage · 3 counted weeks so far', 'Moved up Mar 2, 2026 · current stage,
        week 5'."""
        parts = [f"{self.how} {_short(self.began)}"]
        if self.ended:
            parts.append(f"until {_short(self.ended)}")
        elif self.current:
            parts.append(f"current stage, week {self.week}" if self.week else "current stage")
        if self.counted_weeks is not None:
            weeks = plural(self.counted_weeks, "counted week")
            parts.append(f"{weeks} so far" if self.current else weeks)
        return " · ".join(parts)


def _short(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def short_day(day: date) -> str:
    """'Mon, Nov 30, 2026'."""
    return f"{DAY_NAMES[day.weekday()]}, {MONTH_NAMES[day.month - 1]} {day.day}, {day.year}"


@dataclass
class Timeline:
    followed: object  # progress.models.FollowedTrack
    spans: list[StageSpan]
    verdict: rules.Verdict | None


@dataclass(frozen=True)
class Change:
    """A stage change as a timeline reads it (progress.models.StageChange)."""

    to_stage: object  # exercises.models.Stage
    day: date
    how: str  # "Started", "Moved up", "Stepped back"
    reason: str
    counted_weeks: int | None  # on the stage left


def timeline(
    followed, changes: list[Change], verdict: rules.Verdict | None, today: date
) -> Timeline:
    """The stages of one followed track, oldest first, from its stage changes. The current
    stage shows the weeks counted so far when there is a verdict, else the week it is in."""
    spans = [
        StageSpan(change.to_stage, change.day, change.how, change.reason) for change in changes
    ]
    if not spans:  # followed before changes were recorded
        spans = [StageSpan(followed.stage, followed.stage_started, "Started", "")]
    for span, change in zip(spans, changes[1:], strict=False):
        span.ended, span.counted_weeks = change.day, change.counted_weeks
    if followed.state != "left":
        spans[-1].current = True
        if verdict:
            spans[-1].counted_weeks = verdict.counted_weeks
        else:
            spans[-1].week = rules.weeks_elapsed(followed.stage_started, today)
    return Timeline(followed, spans, verdict)


# --- drill chart ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    day: date
    value: float
    pain: int  # the highest pain that day or week
    sessions: int = 1


@dataclass(frozen=True)
class Mark:
    day: date
    label: str  # "Stage 2"
    up: bool


def chart_points(rows, timed: bool) -> list[Point]:
    """A point a session, oldest first, from rows of (day, session id, pain, side, longest
    hold, seconds added up, reps added up, sets) as SessionSideQuerySet.chart_rows gives
    them: the session's longest hold on any side, or its reps on every side added up."""
    sessions: dict[int, list] = {}
    for day, session_id, pain, _side, best, _seconds, reps, _sets in rows:
        found = sessions.get(session_id)
        if found is None:
            sessions[session_id] = [day, best if timed else reps, pain]
        elif timed:
            found[1] = max(found[1], best)
        else:
            found[1] += reps
    return [Point(day, value, pain) for day, value, pain in sessions.values()]


MAX_WEEKLY_POINTS = 104  # two years of weeks; a longer history is charted month by month


class Total(NamedTuple):
    """One drill's sets in the part of a week that falls in one month, as the database sums them
    (a row of WeeklyTotalQuerySet.chart_rows)."""

    week: date  # its Monday
    month: date  # its first day
    best: int  # the longest hold, in seconds
    reps: int
    sessions: int
    pain: int  # the highest


def long_series(totals: list[Total], timed: bool) -> tuple[str, list[Point]]:
    """The long chart: ("week", a point a week), or ("month", a point a month) once there are
    more weeks than MAX_WEEKLY_POINTS, so the page stays the same size however long the
    history. Each point is the best hold, or the average reps per session."""
    weeks = len({t.week for t in totals})
    period = "week" if weeks <= MAX_WEEKLY_POINTS else "month"
    return period, [
        Point(start, best if timed else round(reps / sessions, 1), pain, sessions)
        for start, (best, reps, sessions, pain) in _merge(totals, period).items()
    ]


def _merge(totals: list[Total], period: str) -> dict[date, list]:
    """{first day of the week or month: [longest hold, reps, sessions, highest pain]}."""
    merged: dict[date, list] = {}
    by_month = period == "month"
    for week, month, best, reps, sessions, pain in totals:
        m = merged.get(month if by_month else week)
        if m is None:
            merged[month if by_month else week] = [best, reps, sessions, pain]
        else:
            m[0], m[1], m[2], m[3] = max(m[0], best), m[1] + reps, m[2] + sessions, max(m[3], pain)
    return merged


W, H = 400, 220
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 14, 16, 30


def nice_ceiling(value: float) -> int:
    """The top of a scale with four gridlines: four times the smallest step (1, 1.5, 2, 2.5 or 5
    times a power of ten, at least 1) that reaches value. 33 reps gives 40: lines every 10."""
    magnitude = 10 ** math.floor(math.log10(value / 4)) if value > 40 else 1
    steps = (1, 1.5, 2, 2.5, 5, 10)
    return next(round(4 * s * magnitude) for s in steps if 4 * s * magnitude >= value)


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def line_chart(
    points: list[Point],
    marks: list[Mark],
    unit: str,
    title: str,
    ident: str,
    first: date,
    last: date,
    point_label=long_day,
) -> str:
    """A line chart of points over [first, last] with stage changes drawn as dashed lines.
    Each point's tooltip names its day with point_label."""
    span = max((last - first).days, 1)
    top = nice_ceiling(max((p.value for p in points), default=1))
    plot_w, plot_h = W - PAD_LEFT - PAD_RIGHT, H - PAD_TOP - PAD_BOTTOM

    def x(day: date) -> float:
        return round(PAD_LEFT + plot_w * (day - first).days / span, 1)

    def y(value: float) -> float:
        return round(PAD_TOP + plot_h * (1 - value / top), 1)

    parts = [
        f'<svg class="line-chart" viewBox="0 0 {W} {H}" role="img" '
        f'aria-labelledby="{ident}-title"><title id="{ident}-title">{escape(title)}</title>'
    ]
    for n in range(5):
        value = top * n / 4
        parts.append(
            f'<line class="chart-grid" x1="{PAD_LEFT}" x2="{W - PAD_RIGHT}" '
            f'y1="{y(value)}" y2="{y(value)}"/>'
            f'<text class="chart-label" x="{PAD_LEFT - 4}" y="{y(value) + 4}" '
            f'text-anchor="end">{_number(value)}</text>'
        )
    date_format = "%b %-d" if span <= 200 else "%b %Y"
    for day, anchor in (
        (first, "start"),
        (first + timedelta(days=span // 2), "middle"),
        (last, "end"),
    ):
        parts.append(
            f'<text class="chart-label" x="{x(day)}" y="{H - 8}" text-anchor="{anchor}">'
            f"{day.strftime(date_format)}</text>"
        )
    for mark in marks:
        if first <= mark.day <= last:
            kind = "up" if mark.up else "down"
            parts.append(
                f'<g class="chart-mark chart-mark-{kind}"><title>{escape(mark.label)} from '
                f"{long_day(mark.day)}</title>"
                f'<line x1="{x(mark.day)}" x2="{x(mark.day)}" '
                f'y1="{PAD_TOP}" y2="{H - PAD_BOTTOM}"/>'
                f'<text class="chart-label" x="{x(mark.day) + 3}" y="{PAD_TOP + 10}">'
                f"{escape(mark.label.replace('Stage ', 'S'))}</text></g>"
            )
    if len(points) > 1:
        line = " ".join(f"{x(p.day)},{y(p.value)}" for p in points)
        parts.append(f'<polyline class="chart-line" points="{line}"/>')
    for p in points:
        pain = " chart-pain" if p.pain > rules.MAX_COMFORTABLE_PAIN else ""
        radius = 4.5 if pain else 3
        parts.append(
            f'<circle class="chart-point{pain}" cx="{x(p.day)}" cy="{y(p.value)}" r="{radius}">'
            f"<title>{point_label(p.day)}: {_number(p.value)} {unit}, pain {p.pain}/10</title>"
            "</circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


# --- the numbers behind a chart ---------------------------------------------------------------


def table_rows(rows) -> str:
    """<tr> rows of escaped cells, the first a row header: a chart's numbers for screen readers
    and for anyone who wants them. Written here for the same reason as the charts: a hundred
    rows through the template engine cost more than the rest of the page."""
    return "".join(
        f'<tr><th scope="row" class="fw-normal">{escape(str(first))}</th><td>'
        f"{'</td><td>'.join([escape(str(cell)) for cell in rest])}</td></tr>"
        for first, *rest in rows
    )


def recent_rows(points: list[Point]) -> str:
    """Newest first: the day, the value, the pain."""
    return table_rows(
        (short_day(p.day), _number(p.value), f"{p.pain}/10") for p in reversed(points)
    )


def long_rows(points: list[Point], period: str) -> str:
    """Newest first: the week or month, the value, the sessions, the highest pain."""

    def label(day: date) -> str:
        return f"{day:%b} {day.day}, {day.year}" if period == "week" else f"{day:%B %Y}"

    return table_rows(
        (label(p.day), _number(p.value), p.sessions, f"{p.pain}/10") for p in reversed(points)
    )
