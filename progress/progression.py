"""Bridges the models and the pure rule in rules.py: plain values in, verdicts out."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from exercises.models import Drill, Stage

from . import rules
from .models import FollowedTrack, TrainingSession

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


def session_log(session: TrainingSession) -> rules.SessionLog:
    return rules.SessionLog(
        day=session.day,
        pain=session.pain,
        sets=tuple(
            rules.SetLog(reps=s.reps, seconds=s.seconds, side=rules.Side(s.side))
            for s in session.sets.all()
        ),
    )


@dataclass
class TrackCard:
    followed: FollowedTrack
    verdict: rules.Verdict
    last_session: TrainingSession | None

    @property
    def stage(self):
        return self.followed.stage


def evaluate(followed: FollowedTrack, sessions, today: date) -> rules.Verdict:
    return rules.evaluate(
        stage_spec(followed.stage, followed.stage_total),
        followed.stage_started,
        [session_log(s) for s in sessions],
        today,
    )


def track_cards(user, today: date, followed=None) -> list[TrackCard]:
    """A card for each followed track. Three queries: tracks, sessions, their sets."""
    if followed is None:
        followed = list(FollowedTrack.objects.for_user(user).current())
    if not followed:
        return []
    since = min(rules.lookback_start(f.stage_started, today) for f in followed)
    by_drill = defaultdict(list)
    sessions = (
        TrainingSession.objects.for_user(user)
        .filter(drill_id__in={f.stage.drill_id for f in followed}, day__gte=since)
        .prefetch_related("sets")
        .order_by("day", "created_at")
    )
    for session in sessions:
        by_drill[session.drill_id].append(session)
    cards = []
    for f in followed:
        mine = [s for s in by_drill[f.stage.drill_id] if s.day >= f.stage_started]
        cards.append(TrackCard(f, evaluate(f, mine, today), mine[-1] if mine else None))
    return cards


def next_up(cards: list[TrackCard], done_drill_ids: set[int]) -> TrackCard | None:
    """The one drill to do next: an active track's current drill not yet done today."""
    waiting = [
        card
        for card in cards
        if card.followed.state == FollowedTrack.State.ACTIVE
        and card.stage.drill_id not in done_drill_ids
    ]
    waiting.sort(key=lambda c: (KIND_ORDER.get(c.stage.drill.kind, 9), c.followed.track.position))
    return waiting[0] if waiting else None
