"""What people do: the tracks they follow, every stage change, and the sessions they log."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from exercises.models import Drill, Stage, Track

REPS_MAX = 500
SECONDS_MAX = 3600
NOTE_MAX = 2000


class FollowedTrackQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def following(self):
        """Active or paused: every track the person has not left."""
        return self.exclude(state=FollowedTrack.State.LEFT)

    def with_totals(self):
        """With their track, current stage and drill, and the number of stages in the track."""
        return (
            self.select_related("track", "stage__drill")
            .annotate(stage_total=models.Count("track__stages", distinct=True))
            .order_by("track__position", "track__name")
        )

    def current(self):
        """Followed tracks, with what the pages show of them."""
        return self.following().with_totals()


class FollowedTrack(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        LEFT = "left", "Left"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    stage_started = models.DateField(help_text="The local day the current stage began.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowedTrackQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "track"], name="follow_track_once"),
        ]

    def __str__(self):
        return f"{self.user} follows {self.track}"


class StageChange(models.Model):
    class Kind(models.TextChoices):
        START = "start", "Started"
        ADVANCE = "advance", "Moved up"
        STEP_BACK = "step_back", "Stepped back"

    followed = models.ForeignKey(FollowedTrack, on_delete=models.CASCADE, related_name="changes")
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    day = models.DateField()
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=500)
    # Weeks that counted on the stage being left (None for a start).
    counted_weeks = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["day", "changed_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.to_stage}"

    @classmethod
    def move(cls, followed, to_stage, kind, day, verdict):
        """An unsaved change from the followed track's current stage, with the verdict behind it."""
        return cls(
            followed=followed,
            from_stage=followed.stage,
            to_stage=to_stage,
            kind=kind,
            day=day,
            reason=verdict.reason[:500],
            counted_weeks=verdict.counted_weeks,
        )


class TrainingSessionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def with_sets(self):
        return self.select_related("drill").prefetch_related("sets")

    def rows(self):
        """Plain rows, oldest first: (pk, drill_id, drill_name, day, pain, effort)."""
        return (
            self.annotate(drill_name=models.F("drill__name"))
            .order_by("day", "created_at")
            .values_list("pk", "drill_id", "drill_name", "day", "pain", "effort", named=True)
        )


class TrainingSession(models.Model):
    """One logged session of one drill on one day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    drill = models.ForeignKey(Drill, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(help_text="The local day it was done.")
    effort = models.PositiveSmallIntegerField(help_text="1 (very easy) to 10 (all-out).")
    pain = models.PositiveSmallIntegerField(help_text="0 (none) to 10 (worst).")
    note = models.TextField(blank=True, max_length=NOTE_MAX)
    token = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-created_at"]
        indexes = [
            models.Index(fields=["user", "drill", "day"], name="session_user_drill_day"),
            models.Index(fields=["user", "day"], name="session_user_day"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="session_token_once"),
            models.CheckConstraint(condition=Q(pain__lte=10), name="session_pain_range"),
            models.CheckConstraint(
                condition=Q(effort__gte=1, effort__lte=10), name="session_effort_range"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), NOTE_MAX), name="session_note_length"
            ),
        ]

    def __str__(self):
        return f"{self.drill} on {self.day}"

    @property
    def sets_summary(self):
        """'8 reps, 8 reps, 7 reps' or '30 s (left), 30 s (right)', from prefetched sets."""
        return ", ".join(str(s) for s in self.sets.all())


class SetEntry(models.Model):
    class Side(models.TextChoices):
        BOTH = "both", "Both"
        LEFT = "left", "Left"
        RIGHT = "right", "Right"

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="sets")
    position = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    side = models.CharField(max_length=5, choices=Side.choices, default=Side.BOTH)
    load = models.CharField("band or load", max_length=60, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "sets"
        constraints = [
            models.CheckConstraint(
                condition=Q(reps__isnull=True) | Q(reps__lte=REPS_MAX), name="set_reps_range"
            ),
            models.CheckConstraint(
                condition=Q(seconds__isnull=True) | Q(seconds__lte=SECONDS_MAX),
                name="set_seconds_range",
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=False) | Q(seconds__isnull=False), name="set_has_amount"
            ),
        ]

    def __str__(self):
        amount = f"{self.reps} reps" if self.reps is not None else f"{self.seconds} s"
        return amount if self.side == self.Side.BOTH else f"{amount} ({self.side})"
