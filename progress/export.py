"""The training part of a person's data export (accounts.views.export), as plain values."""

from .models import CheckIn, FollowedTrack, SelfTest, StageChange, TrainingSession


def training_data(user) -> dict:
    """Tracks followed, stage changes, every session with its sets, the morning check-ins and
    the self-tests. Six queries."""
    sessions = TrainingSession.objects.for_user(user).with_sets().order_by("day", "created_at")
    followed = FollowedTrack.objects.for_user(user).select_related("track", "stage__drill")
    changes = StageChange.objects.filter(followed__user=user).select_related(
        "followed__track", "from_stage__drill", "to_stage__drill"
    )
    return {
        "tracks": [
            {
                "track": f.track.slug,
                "state": f.state,
                "stage": f.stage.position,
                "drill": f.stage.drill.slug,
                "stage_started": f.stage_started.isoformat(),
            }
            for f in followed
        ],
        "stage_changes": [
            {
                "track": c.followed.track.slug,
                "kind": c.kind,
                "from_stage": c.from_stage.position if c.from_stage else None,
                "to_stage": c.to_stage.position,
                "day": c.day.isoformat(),
                "reason": c.reason,
            }
            for c in changes
        ],
        "sessions": [
            {
                "day": s.day.isoformat(),
                "drill": s.drill.slug,
                "effort": s.effort,
                "pain": s.pain,
                "note": s.note,
                "sets": [
                    {"reps": e.reps, "seconds": e.seconds, "side": e.side, "load": e.load}
                    for e in s.sets.all()
                ],
            }
            for s in sessions
        ],
        "check_ins": [
            {"day": day.isoformat(), "pain": pain, "stiffness": stiffness, "skipped": skipped}
            for day, pain, stiffness, skipped in CheckIn.objects.for_user(user).rows()
        ],
        "self_tests": [
            {
                "day": row.day.isoformat(),
                "knee_raise_left_seconds": row.knee_left,
                "knee_raise_right_seconds": row.knee_right,
                "leg_lift_stage": row.leg_lift,
                "everyday_hips": row.everyday,
            }
            for row in SelfTest.objects.for_user(user).rows().reverse()
        ],
    }
