"""Bridges the models and the pure rule in rules.py: plain values in, verdicts out."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from exercises import snapshot
from exercises.models import Drill, Stage

from . import rules
from .models import CheckIn, FollowedTrack, SetEntry, TrainingSession

# Warm-up mobility before control before strength.
KIND_ORDER = {
    Drill.Kind.MOBILITY: 0,
    Drill.Kind.STRETCH: 1,
    Drill.Kind.CONTROL: 2,
    Drill.Kind.ISOMETRIC: 3,
    Drill.Kind.STRENGTH: 4,
}


def stage_spec(stage: Stage, total: int) -> rules.StageSpec:
    return rules.StageSpec(
        position=stage.position,
        total_stages=total,
        min_weeks=stage.min_weeks,
        max_weeks=stage.max_weeks,
        sessions_per_week=stage.sessions_per_week,
        target_sets=stage.target_sets,
        target_reps=stage.target_reps,
        target_seconds=stage.target_seconds,
        per_side=stage.drill.per_side,
    )


@dataclass
class TrackCard:
    followed: FollowedTrack
    verdict: rules.Verdict
    last_session: rules.SessionLog | None  # the latest on this stage, up to today

    @property
    def stage(self):
        return self.followed.stage

    @property
    def weeks_on_bar(self) -> int:
        """The counted weeks the progress bar shows: up to the plan's longest, its end."""
        return min(self.verdict.counted_weeks, self.stage.max_weeks)

    @property
    def weeks_past_plan(self) -> int:
        """Counted weeks beyond the plan's longest, said in words beside the full bar."""
        return max(0, self.verdict.counted_weeks - self.stage.max_weeks)


def window_start(today: date, followed, also_from: date) -> date:
    """The first day the rule reads for any of the followed tracks, or also_from if earlier."""
    return min([rules.lookback_start(f.stage_started, today) for f in followed] + [also_from])


def recent_sessions(user, today: date, followed, also_from: date) -> list:
    """One query, as plain rows (TrainingSessionQuerySet.rows): the sessions the rule reads for
    the followed tracks, and every session from also_from on. The database reads the days in
    its index order; the drills are picked here, which halves the query's cost."""
    since = window_start(today, followed, also_from)
    drills = {f.stage.drill_id for f in followed}
    rows = TrainingSession.objects.filter(user_id=user.pk, day__gte=since, day__lte=today).rows()
    return [row for row in rows if row.drill_id in drills or row.day >= also_from]


@dataclass(frozen=True)
class Done:
    """A session logged today, as today's page lists it."""

    pk: int
    drill_id: int
    drill_name: str
    pain: int
    effort: int


def done_on(sessions, day: date) -> list[Done]:
    """The sessions (recent_sessions rows) of that day, named from the catalog."""
    drills = snapshot.catalog().drills
    return [
        Done(row.pk, row.drill_id, drills[row.drill_id].name, row.pain, row.effort)
        for row in sessions
        if row.day == day
    ]


# A morning is compared with the one before it (rules._morning_verdict): the check-ins are read
# from this long before the rule's first day, so the first morning it reads has one to compare.
MORNINGS_BEFORE = timedelta(weeks=1)


def recent_check_ins(user, today: date, since: date) -> list:
    """One query, as plain rows (CheckInQuerySet.rows): the mornings the rule reads, answered
    or skipped, from a week before since to today."""
    return list(
        CheckIn.objects.filter(
            user_id=user.pk, day__gte=since - MORNINGS_BEFORE, day__lte=today
        ).rows()
    )


def mornings(check_ins) -> list[rules.MorningLog]:
    """The answered check-ins, as the rule reads them."""
    return [
        rules.MorningLog(row.day, row.pain, rules.Stiffness(row.stiffness))
        for row in check_ins
        if not row.skipped
    ]


def track_cards(user, today: date, followed=None, sessions=None, check_ins=None) -> list[TrackCard]:
    """A card for each followed track, with the rule's verdict.

    Three queries besides the followed tracks, as plain values: the sessions the rule reads
    (recent_sessions) and the morning check-ins (recent_check_ins), unless the caller has them,
    and the sets of each track's latest two sessions, the only sets it reads.
    """
    if followed is None:
        followed = FollowedTrack.objects.for_user(user).following().joined()
    if not followed:
        return []
    if sessions is None:
        sessions = recent_sessions(user, today, followed, today)
    if check_ins is None:
        check_ins = recent_check_ins(user, today, window_start(today, followed, today))
    read_mornings = mornings(check_ins)
    by_drill = defaultdict(list)
    for row in sessions:
        by_drill[row.drill_id].append(row)
    on_stage = {}
    for f in followed:
        first = rules.lookback_start(f.stage_started, today)
        on_stage[f.pk] = [row for row in by_drill[f.stage.drill_id] if row.day >= first]
    latest = {row.pk for rows in on_stage.values() for row in rows[-2:]}
    sets = defaultdict(list)
    # In any order: the rule counts a session's sets that reach the target.
    for session_id, reps, seconds, side in (
        SetEntry.objects.filter(session_id__in=latest)
        .order_by()
        .values_list("session_id", "reps", "seconds", "side")
    ):
        sets[session_id].append(rules.SetLog(reps, seconds, rules.Side(side)))
    cards = []
    for f in followed:
        rows = on_stage[f.pk]
        # The rule reads only the day and pain of older sessions: their rows serve as they are.
        logs = rows[:-2] + [
            rules.SessionLog(row.day, row.pain, tuple(sets.get(row.pk, ()))) for row in rows[-2:]
        ]
        spec = stage_spec(f.stage, f.stage_total)
        verdict = rules.evaluate(spec, f.stage_started, logs, today, read_mornings)
        cards.append(TrackCard(f, verdict, logs[-1] if logs else None))
    return cards


def training_order(followed: list[FollowedTrack]) -> list[FollowedTrack]:
    """The active tracks, in the order their drills are done: mobility before control before
    strength, then by track. Needs no verdicts, so a reminder can ask it cheaply."""
    active = [f for f in followed if f.state == FollowedTrack.State.ACTIVE]
    return sorted(active, key=lambda f: (KIND_ORDER.get(f.stage.drill.kind, 9), f.track.position))


def waiting(followed, done_drill_ids: set[int]) -> list[FollowedTrack]:
    """Today's drills still to do, in training order: each active track's current drill not
    done today, once even if two tracks share it."""
    drills = {}
    for f in training_order(followed):
        if f.stage.drill_id not in done_drill_ids:
            drills.setdefault(f.stage.drill_id, f)
    return list(drills.values())


def next_up(cards: list[TrackCard], done_drill_ids: set[int]) -> TrackCard | None:
    """The one drill to do next: the first of today's drills still to do (waiting)."""
    first = waiting([card.followed for card in cards], done_drill_ids)[:1]
    return next((card for card in cards if card.followed in first), None)


@dataclass
class Alarm:
    """Pain high enough today to show when to stop and see someone."""

    pain: int
    when: str  # "this morning", "during Back flattening"
    cards: list[TrackCard] = field(default_factory=list)  # the tracks to suggest pausing


def alarm(cards: list[TrackCard], done, check_in) -> Alarm | None:
    """Pain of rules.SEE_SOMEONE_PAIN or more in this morning's check-in (suggest pausing every
    active track) or in a drill done today (the tracks of those drills)."""
    active = [c for c in cards if c.followed.state == FollowedTrack.State.ACTIVE]
    if check_in is not None and (check_in.pain or 0) >= rules.SEE_SOMEONE_PAIN:
        return Alarm(check_in.pain, "this morning", active)
    sore = [s for s in done if s.pain >= rules.SEE_SOMEONE_PAIN]
    if not sore:
        return None
    worst = max(sore, key=lambda s: s.pain)
    drills = {s.drill_id for s in sore}
    return Alarm(
        worst.pain,
        f"during {worst.drill_name}",
        [c for c in active if c.stage.drill_id in drills],
    )
