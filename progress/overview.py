"""What the pages that look back at a person's training fetch: /history/, a drill's page and
the read-only share page (sharing/) draw their stages, sides and charts from these, in a
fixed number of queries of plain values, and shape them with the pure functions in
history.py and balance.py."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from exercises import snapshot

from . import balance, progression
from . import history as hist
from .models import FollowedTrack, SelfTest, SessionSide, SetEntry, StageChange, TrainingSession


def timelines(user, day: date, verdicts: bool = True) -> list[hist.Timeline]:
    """Every track the person followed, with its stages from the stage changes. On the
    current stage, the rule's verdict (verdicts: the share page), or only the week it is in
    (history: where the stage stands is today's page). Queries: the followed tracks (1),
    their stage changes (1), and with verdicts what the rule reads (3)."""
    followed = FollowedTrack.objects.for_user(user).joined()
    changes = {}
    stages, how = snapshot.catalog().stages, dict(StageChange.Kind.choices)
    for followed_id, to_stage_id, kind, on, reason, weeks in StageChange.objects.filter(
        followed__user_id=user.pk
    ).values_list("followed_id", "to_stage_id", "kind", "day", "reason", "counted_weeks"):
        change = hist.Change(stages[to_stage_id], on, how[kind], reason, weeks)
        changes.setdefault(followed_id, []).append(change)
    found = {}
    if verdicts:
        current = [f for f in followed if f.state != FollowedTrack.State.LEFT]
        found = {
            card.followed.pk: card.verdict for card in progression.track_cards(user, day, current)
        }
    return [hist.timeline(f, changes.get(f.pk, []), found.get(f.pk), day) for f in followed]


def balance_since(day: date) -> date:
    return day - timedelta(weeks=balance.BALANCE_WEEKS) + timedelta(days=1)


def drill_balances(user, day: date) -> list[balance.Balance]:
    """Each one-sided drill's left and right over the last BALANCE_WEEKS weeks: one query,
    a row for each drill and side, summed by the database."""
    drills = snapshot.catalog().drills
    one_sided = [drill for drill in drills.values() if drill.per_side]
    rows = SessionSide.objects.side_totals(user, one_sided, balance_since(day), day)
    return balance.drill_balances(rows, drills)


def drill_sides(drill, rows, last: date):
    """A one-sided drill's left and right in each session (newest first) and over the last
    four weeks, from the rows of SessionSideQuerySet.chart_rows. Nothing for a drill done
    on both sides at once."""
    if not drill.per_side:
        return [], None
    sides = [
        (day, session_id, side, best, seconds, reps, sets)
        for day, session_id, _pain, side, best, seconds, reps, sets in rows
        if side in (SetEntry.Side.LEFT, SetEntry.Side.RIGHT)
    ]
    return (
        balance.side_sessions(sides, drill.name, drill.is_timed),
        balance.recent_balance(sides, balance_since(last), drill.name, drill.is_timed),
    )


def self_tests(user, limit: int) -> list[balance.SelfTestResult]:
    """The latest self-tests, newest first: one query."""
    return balance.results(SelfTest.objects.for_user(user).rows()[:limit])


@dataclass(frozen=True)
class StageChart:
    track: str
    drill: object  # exercises.models.Drill
    sessions: int
    svg: str  # empty when there is no session to draw


def stage_charts(user, day: date, timelines: list[hist.Timeline]) -> list[StageChart]:
    """The current drill of each track still followed, charted over the last RECENT_WEEKS
    weeks as /history/<drill>/ charts it (history.line_chart), with the track's stage
    changes marked: one query for every drill."""
    first = day - timedelta(weeks=hist.RECENT_WEEKS) + timedelta(days=1)
    lines = {}
    for line in timelines:
        if line.followed.state != FollowedTrack.State.LEFT:
            lines.setdefault(line.followed.stage.drill_id, line)
    catalog = snapshot.catalog()
    points = defaultdict(list)
    for drill_id, when, best, reps, pain in TrainingSession.objects.for_user(
        user
    ).chart_points_by_drill(list(lines), first, day):
        value = best if catalog.drills[drill_id].is_timed else reps
        points[drill_id].append(hist.Point(when, value, pain))
    charts = []
    for drill_id, line in lines.items():
        drill = catalog.drills[drill_id]
        marks = [
            hist.Mark(span.began, f"Stage {span.stage.position}", span.how != "Stepped back")
            for span in line.spans[1:]
        ]
        measure = "best hold" if drill.is_timed else "total reps"
        title = f"{drill.name}, {measure} per session over the last {hist.RECENT_WEEKS} weeks"
        unit = "s" if drill.is_timed else "reps"
        svg = (
            hist.line_chart(points[drill_id], marks, unit, title, f"chart-{drill.slug}", first, day)
            if points[drill_id]
            else ""
        )
        charts.append(StageChart(line.followed.track.name, drill, len(points[drill_id]), svg))
    return charts
