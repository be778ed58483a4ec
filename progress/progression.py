"""Bridges the models and the pure rule in rules.py: plain values in, verdicts out."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from exercises.models import Drill, Stage

from . import rules
from .models import FollowedTrack, SetEntry, TrainingSession

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


def recent_sessions(user, today: date, followed, also_from: date) -> list:
    """One query, as plain rows (TrainingSessionQuerySet.rows): the sessions the rule reads for
    the followed tracks, and every session from also_from on."""
    since = min([rules.lookback_start(f.stage_started, today) for f in followed] + [also_from])
    drills = {f.stage.drill_id for f in followed}
    return list(
        TrainingSession.objects.for_user(user)
        .filter(Q(drill_id__in=drills) | Q(day__gte=also_from), day__gte=since, day__lte=today)
        .rows()
    )


def track_cards(user, today: date, followed=None, sessions=None) -> list[TrackCard]:
    """A card for each followed track, with the rule's verdict.

    Two queries besides the followed tracks, as plain values: the sessions the rule reads
    (recent_sessions, unless the caller has them), and the sets of each track's latest two
    sessions, the only sets it reads.
    """
    if followed is None:
        followed = FollowedTrack.objects.for_user(user).following().joined()
    if not followed:
        return []
    if sessions is None:
        sessions = recent_sessions(user, today, followed, today)
    by_drill = defaultdict(list)
    for row in sessions:
        by_drill[row.drill_id].append(row)
    on_stage = {
        f.pk: [
            row
            for row in by_drill[f.stage.drill_id]
            if row.day >= rules.lookback_start(f.stage_started, today)
        ]
        for f in followed
    }
    latest = {row.pk for rows in on_stage.values() for row in rows[-2:]}
    sets = defaultdict(list)
    for session_id, reps, seconds, side in (
        SetEntry.objects.filter(session_id__in=latest)
        .order_by("position", "pk")
        .values_list("session_id", "reps", "seconds", "side")
    ):
        sets[session_id].append(rules.SetLog(reps, seconds, rules.Side(side)))
    cards = []
    for f in followed:
        logs = [
            rules.SessionLog(row.day, row.pain, tuple(sets.get(row.pk, ())))
            for row in on_stage[f.pk]
        ]
        spec = stage_spec(f.stage, f.stage_total)
        verdict = rules.evaluate(spec, f.stage_started, logs, today)
        cards.append(TrackCard(f, verdict, logs[-1] if logs else None))
    return cards


def training_order(followed: list[FollowedTrack]) -> list[FollowedTrack]:
    """The active tracks, in the order their drills are done: mobility before control before
    strength, then by track. Needs no verdicts, so a reminder can ask it cheaply."""
    active = [f for f in followed if f.state == FollowedTrack.State.ACTIVE]
    return sorted(active, key=lambda f: (KIND_ORDER.get(f.stage.drill.kind, 9), f.track.position))


def next_up(cards: list[TrackCard], done_drill_ids: set[int]) -> TrackCard | None:
    """The one drill to do next: an active track's current drill not yet done today."""
    by_followed = {card.followed.pk: card for card in cards}
    for followed in training_order([card.followed for card in cards]):
        if followed.stage.drill_id not in done_drill_ids:
            return by_followed[followed.pk]
    return None
