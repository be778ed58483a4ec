"""What people do: the tracks they follow, every stage change, and the sessions they log."""

import operator
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import LessThanOrEqual

from exercises import snapshot
from exercises.models import Drill, Stage, Track

REPS_MAX = 500
SECONDS_MAX = 3600
NOTE_MAX = 2000


class FollowedTrackQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user_id=user.pk)

    def following(self):
        """Active or paused: every track the person has not left."""
        return self.exclude(state=FollowedTrack.State.LEFT)

    def with_totals(self):
        """With their track, current stage and drill, and the number of stages in the track."""
        stages = (
            Stage.objects.filter(track=models.OuterRef("track"))
            .order_by()
            .values("track")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return (
            self.select_related("track", "stage__drill")
            .annotate(stage_total=models.Subquery(stages))
            .order_by("track__position", "track__name")
        )

    def current(self):
        """Followed tracks, with what the pages show of them."""
        return self.following().with_totals()

    def joined(self) -> list:
        """These followed tracks, each with its track, stage (and drill) and the number of
        stages in the track taken from the catalog kept in the process (exercises.snapshot),
        in the catalog's order. One plain query."""
        catalog = snapshot.catalog()
        followed = list(self.order_by())
        for f in followed:
            f.track, f.stage = catalog.tracks[f.track_id], catalog.stages[f.stage_id]
            f.stage_total = catalog.stage_totals[f.track_id]
        followed.sort(key=lambda f: (f.track.position, f.track.name))
        return followed

    def start(self, user, track, day, reason):
        """Follow the track from its first stage (again, after leaving it); None when the track
        has no stages. Following a track already followed changes nothing."""
        first = track.stages.order_by("position").first()
        if first is None:
            return None
        followed, created = self.get_or_create(
            user=user, track=track, defaults={"stage": first, "stage_started": day}
        )
        if not created:
            if followed.state != FollowedTrack.State.LEFT:
                return followed
            followed.state = FollowedTrack.State.ACTIVE
            followed.stage, followed.stage_started = first, day
            followed.save()
        StageChange.objects.create(
            followed=followed, to_stage=first, kind=StageChange.Kind.START, day=day, reason=reason
        )
        return followed


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
        return self.filter(user_id=user.pk)

    def with_sets(self):
        return self.select_related("drill").prefetch_related("sets")

    def listing(self):
        """Plain rows for a list of sessions, newest first; session_lines() adds their sets."""
        return (
            self.annotate(drill_slug=models.F("drill__slug"), drill_name=models.F("drill__name"))
            .order_by("-day", "-created_at")
            .values_list(
                "pk", "day", "drill_slug", "drill_name", "pain", "effort", "note", named=True
            )
        )

    @transaction.atomic
    def record(self, user, drill, *, token, day, effort, pain, sets, note=""):
        """Save a session and its sets (dicts of reps, seconds, side, load) as one; a session
        sent again with the same token saves nothing new. Returns (session, created)."""
        try:
            with transaction.atomic():
                session = self.create(
                    user=user, drill=drill, token=token, day=day, effort=effort, pain=pain,
                    note=note,
                )  # fmt: skip
                SetEntry.objects.bulk_create(
                    SetEntry(session=session, position=n, **values)
                    for n, values in enumerate(sets, start=1)
                )
        except IntegrityError:
            existing = self.filter(user=user, token=token).first()
            if existing is None:
                raise
            return existing, False
        self.changed(user, [(drill.pk, day)], [session.pk])
        return session, True

    def changed(self, user, drill_days, sessions=()):
        """Sessions of these (drill id, day) pairs were added, edited or deleted: the person's
        pages are stale, the weekly totals of those weeks are summed again, and the sides of
        these sessions (the ones added or edited; a deleted one's go with it).

        Called inside the write's transaction. Bumping the person's revision first locks their
        row until it commits, so two writes of theirs at once (two tabs, a phone sending its
        queue) sum their weeks one after the other, never deleting and inserting the same
        totals side by side."""
        user.data_changed()
        WeeklyTotal.objects.rebuild(user, drill_days)
        if sessions:
            SessionSide.objects.rebuild(user, sessions)

    def summarise(self, user):
        """Sum again everything the charts read of the person's sessions: the weekly totals
        (WeeklyTotal) and each session's sides (SessionSide). For sessions made in bulk
        (seed_demo), once they are saved."""
        WeeklyTotal.objects.rebuild(user)
        SessionSide.objects.rebuild(user)

    def daily_counts(self, first, last) -> dict:
        """{day: sessions} for the days with a session from first to last."""
        return dict(
            self.filter(day__gte=first, day__lte=last)
            .order_by()
            .values_list("day")
            .annotate(n=models.Count("id"))
        )

    def last_sets(self, drill):
        """(day, sets as the log form fills them in) of the latest session of the drill, or
        None. Two queries of plain values."""
        latest = self.filter(drill=drill).order_by("-day", "-created_at").values_list("pk", "day")
        found = latest.first()
        if found is None:
            return None
        sets = SetEntry.objects.filter(session_id=found[0]).order_by("position", "pk")
        return found[1], list(sets.values("reps", "seconds", "side", "load"))

    def chart_points_by_drill(self, drill_ids, first, last):
        """(drill id, day, longest hold, reps added up, pain) a session of these drills from
        first to last, oldest first: chart_points for several drills in one query."""
        return (
            self.filter(drill_id__in=drill_ids, day__gte=first, day__lte=last)
            .order_by("day", "created_at")
            .values("pk", "drill_id", "day", "pain")
            .annotate(
                best=Coalesce(models.Max("sets__seconds"), 0),
                reps=Coalesce(models.Sum("sets__reps"), 0),
            )
            .values_list("drill_id", "day", "best", "reps", "pain")
        )

    def drills_logged(self):
        """The drills these sessions are of, by name, as (slug, name) rows."""
        return (
            Drill.objects.filter(pk__in=self.values("drill_id"))
            .order_by("name")
            .values_list("slug", "name", named=True)
        )

    def rows(self):
        """Plain rows, oldest first (by day, then as saved): (pk, drill_id, day, pain,
        effort). The drill's name is the catalog's (exercises.snapshot): no join."""
        return self.order_by("day", "pk").values_list(
            "pk", "drill_id", "day", "pain", "effort", named=True
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

    @staticmethod
    def prescribed_sets(drill) -> list[dict]:
        """The drill's dose as sets: each side in turn for one-sided drills."""
        sides = (
            [SetEntry.Side.LEFT, SetEntry.Side.RIGHT] if drill.per_side else [SetEntry.Side.BOTH]
        )
        return [
            {"reps": drill.reps, "seconds": drill.seconds, "side": side}
            for _ in range(drill.sets)
            for side in sides
        ]


class SetEntry(models.Model):
    class Side(models.TextChoices):
        BOTH = "both", "Both"
        LEFT = "left", "Left"
        RIGHT = "right", "Right"

    # Indexed with the amounts (set_session_amounts), so that summing a session's sets by side
    # (a drill's chart) reads the index alone.
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="sets", db_index=False
    )
    position = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    side = models.CharField(max_length=5, choices=Side.choices, default=Side.BOTH)
    load = models.CharField("band or load", max_length=60, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "sets"
        indexes = [
            models.Index(fields=["session", "side", "seconds", "reps"], name="set_session_amounts"),
        ]
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
        return set_text(self.reps, self.seconds, self.side)


def set_text(reps, seconds, side) -> str:
    """'8 reps', or '30 s (left)'."""
    amount = f"{reps} reps" if reps is not None else f"{seconds} s"
    return amount if side == SetEntry.Side.BOTH else f"{amount} ({side})"


@dataclass(frozen=True)
class SessionLine:
    """A session as lists show it (TrainingSessionQuerySet.listing)."""

    pk: int
    day: date
    drill_slug: str
    drill_name: str
    pain: int
    effort: int
    note: str
    sets_summary: str = ""  # '8 reps, 8 reps, 7 reps' or '30 s (left), 30 s (right)'

    @property
    def day_text(self) -> str:
        """'Mon, Nov 30, 2026'."""
        return f"{self.day:%a, %b} {self.day.day}, {self.day.year}"


def session_lines(rows) -> list[SessionLine]:
    """Listing rows with their sets summed up: one query."""
    rows = list(rows)
    texts = {}
    for session_id, reps, seconds, side in (
        SetEntry.objects.filter(session_id__in=[row.pk for row in rows])
        .order_by("position", "pk")
        .values_list("session_id", "reps", "seconds", "side")
    ):
        texts.setdefault(session_id, []).append(set_text(reps, seconds, side))
    return [SessionLine(*row, ", ".join(texts.get(row.pk, ()))) for row in rows]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


class CheckInQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user_id=user.pk)

    def rows(self):
        """Plain rows, oldest first: (day, pain, stiffness, skipped)."""
        return self.order_by("day").values_list("day", "pain", "stiffness", "skipped", named=True)

    def record(self, user, day, *, pain, stiffness):
        """Keep the morning's answer, one a day (an answer sent again replaces the first, or
        the skip). The person's pages are stale."""
        check_in, _ = self.update_or_create(
            user=user,
            day=day,
            defaults={
                "week": week_start(day),
                "pain": pain,
                "stiffness": stiffness,
                "skipped": False,
            },
        )
        user.data_changed()
        return check_in

    def skip(self, user, day):
        """Not asked again that day; an answer already given stays."""
        _, created = self.get_or_create(
            user=user, day=day, defaults={"week": week_start(day), "skipped": True}
        )
        if created:
            user.data_changed()


class CheckIn(models.Model):
    """How the hip felt on waking the day after a training day, or that the person skipped
    the question that morning."""

    class Stiffness(models.TextChoices):
        BETTER = "better", "Better than usual"
        SAME = "same", "Same as usual"
        WORSE = "worse", "Worse than usual"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The local day of the morning.")
    week = models.DateField(
        help_text="The Monday of that day: mornings are summed by week without date functions."
    )
    pain = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0 to 10.")
    stiffness = models.CharField(max_length=6, choices=Stiffness.choices, blank=True)
    skipped = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="check_in_once_a_day"),
            models.CheckConstraint(
                condition=Q(skipped=True, pain__isnull=True, stiffness="")
                | Q(
                    skipped=False,
                    pain__isnull=False,
                    pain__lte=10,
                    stiffness__in=["better", "same", "worse"],
                ),
                name="check_in_answered_or_skipped",
            ),
            models.CheckConstraint(
                condition=Q(week__lte=models.F("day")), name="check_in_week_not_after_its_day"
            ),
        ]

    def __str__(self):
        return f"{self.user} on the morning of {self.day}"


def sum_weeks(days) -> dict[tuple, dict]:
    """Rows of (drill id, day, longest hold, reps, sessions, highest pain), one a day, summed
    by (drill id, Monday, first of the month): the fields of WeeklyTotal."""
    totals: dict[tuple, dict] = {}
    for drill_id, day, best, reps, sessions, pain in days:
        key = (drill_id, week_start(day), day.replace(day=1))
        total = totals.setdefault(key, {"best_seconds": 0, "reps": 0, "sessions": 0, "pain": 0})
        total["best_seconds"] = max(total["best_seconds"], best or 0)
        total["reps"] += reps or 0
        total["sessions"] += sessions
        total["pain"] = max(total["pain"], pain)
    return totals


class WeeklyTotalQuerySet(models.QuerySet):
    def chart_rows(self, user, drill, last):
        """(Monday, first of the month, longest hold, reps, sessions, highest pain), oldest
        first, up to the week holding last: a week that spans two months is two rows."""
        return (
            self.filter(user_id=user.pk, drill_id=drill.pk, week__lte=last)
            .order_by("week", "month")
            .values_list("week", "month", "best_seconds", "reps", "sessions", "pain")
        )

    def rebuild(self, user, drill_days=None):
        """Sum again the weeks holding these (drill id, day) pairs, or every week of the person
        when None. Three queries: the sets of those weeks summed by day in the database, the
        old totals deleted, the new ones inserted."""
        sets = SetEntry.objects.filter(session__user=user)
        old = self.filter(user=user)
        if drill_days is not None:
            weeks = {(drill_id, week_start(day)) for drill_id, day in drill_days}
            if not weeks:
                return
            sets = sets.filter(
                reduce(
                    operator.or_,
                    (
                        Q(session__drill_id=drill_id, session__day__gte=monday)
                        & Q(session__day__lt=monday + timedelta(weeks=1))
                        for drill_id, monday in weeks
                    ),
                )
            )
            old = old.filter(
                reduce(operator.or_, (Q(drill_id=d, week=monday) for d, monday in weeks))
            )
        days = (
            sets.order_by()
            .values_list("session__drill_id", "session__day")
            .annotate(
                best=models.Max("seconds"),
                reps=models.Sum("reps"),
                sessions=models.Count("session", distinct=True),
                pain=models.Max("session__pain"),
            )
        )
        totals = [
            WeeklyTotal(user=user, drill_id=drill_id, week=week, month=month, **values)
            for (drill_id, week, month), values in sum_weeks(days).items()
        ]
        old.delete()
        self.bulk_create(totals)


class WeeklyTotal(models.Model):
    """One person's sets of one drill in the part of a week that falls in one month, summed:
    what a drill's long chart draws. Kept up to date by every change to sessions
    (TrainingSessionQuerySet.changed), so a chart reads a row a week instead of summing
    years of sets."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="Its Monday.")
    month = models.DateField(help_text="The first day of the month these days fall in.")
    best_seconds = models.PositiveIntegerField(help_text="The longest hold.")
    reps = models.PositiveIntegerField(help_text="All reps added up.")
    sessions = models.PositiveIntegerField()
    pain = models.PositiveSmallIntegerField(help_text="The highest.")

    objects = WeeklyTotalQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "drill", "week", "month"], name="weekly_total_once"
            ),
        ]

    def __str__(self):
        return f"{self.drill}, week of {self.week}"


class SessionSideQuerySet(models.QuerySet):
    def chart_rows(self, user, drill, first, last):
        """(day, session id, pain, side, longest hold, seconds added up, reps added up, sets)
        for each session of the drill from first to last and each side its sets were done on,
        oldest first (by day, then as saved): a drill's chart and its left and right
        (history.chart_points, balance.side_sessions). One query on one index, no join."""
        return (
            self.filter(user_id=user.pk, drill_id=drill.pk, day__gte=first, day__lte=last)
            .order_by("day", "session_id", "side")
            .values_list(
                "day", "session_id", "pain", "side", "best_seconds", "seconds", "reps", "sets"
            )
        )

    def side_totals(self, user, drills, first, last):
        """(drill id, side, seconds added up, reps added up, sets) for each of these drills (the
        one-sided ones) the person did from first to last and each side: a few rows, summed by
        the database from a row a session and side, read by drill from the chart's index."""
        return (
            self.filter(
                user_id=user.pk,
                drill_id__in=[drill.pk for drill in drills],
                day__gte=first,
                day__lte=last,
                side__in=[SetEntry.Side.LEFT, SetEntry.Side.RIGHT],
            )
            .order_by()
            .values_list("drill_id", "side")
            .annotate(
                total_seconds=models.Sum("seconds"),
                total_reps=models.Sum("reps"),
                total_sets=models.Sum("sets"),
            )
        )

    def rebuild(self, user, sessions=None):
        """Sum again the sets of these sessions (their ids) of the person, or of all their
        sessions when None. Three queries: the sets summed by session and side in the
        database, the old sums deleted, the new ones inserted."""
        sets = SetEntry.objects.filter(session__user_id=user.pk)
        old = self.filter(user_id=user.pk)
        if sessions is not None:
            sets = sets.filter(session_id__in=sessions)
            old = old.filter(session_id__in=sessions)
        sums = (
            sets.order_by()
            .values_list("session_id", "session__drill_id", "session__day", "session__pain", "side")
            .annotate(
                best=Coalesce(models.Max("seconds"), 0),
                total_seconds=Coalesce(models.Sum("seconds"), 0),
                total_reps=Coalesce(models.Sum("reps"), 0),
                count=models.Count("pk"),
            )
        )
        rows = [
            SessionSide(
                session_id=session_id,
                user_id=user.pk,
                drill_id=drill_id,
                day=on,
                pain=pain,
                side=side,
                best_seconds=best,
                seconds=seconds,
                reps=reps,
                sets=count,
            )  # fmt: skip
            for session_id, drill_id, on, pain, side, best, seconds, reps, count in sums
        ]
        old.delete()
        self.bulk_create(rows)


class SessionSide(models.Model):
    """One session's sets on one side (left, right, or both at once), summed, with the
    session's person, drill, day and pain beside them: what a drill's chart reads, a row a
    session and side, instead of joining and summing its sets on every view. Kept up to date
    by every change to sessions (TrainingSessionQuerySet.changed), as WeeklyTotal is."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    pain = models.PositiveSmallIntegerField()
    side = models.CharField(max_length=5, choices=SetEntry.Side.choices)
    best_seconds = models.PositiveIntegerField(help_text="The longest hold.")
    seconds = models.PositiveIntegerField(help_text="All seconds added up.")
    reps = models.PositiveIntegerField(help_text="All reps added up.")
    sets = models.PositiveIntegerField()

    objects = SessionSideQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "drill", "day"], name="session_side_chart")]
        constraints = [
            models.UniqueConstraint(fields=["session", "side"], name="session_side_once"),
        ]

    def __str__(self):
        return f"{self.drill}, {self.day}, {self.side}"


KNEE_RAISE_CAP = 60  # seconds: the knee-raise hold is timed to fatigue, up to a minute
LEG_LIFT_TOP = 4  # the psoas-control ladder's stages
EVERYDAY_TOP = 10


class SelfTestQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user_id=user.pk)

    def rows(self):
        """Plain rows, newest first: (pk, day, knee_left, knee_right, leg_lift, everyday)."""
        return self.order_by("-day").values_list(
            "pk", "day", "knee_left", "knee_right", "leg_lift", "everyday", named=True
        )

    def last_day(self):
        """The day of the latest self-test, or None."""
        return self.order_by("-day").values_list("day", flat=True).first()

    def record(self, user, day, **values):
        """Keep the day's self-test: one a day, a second the same day replaces the first (so a
        double tap saves it once). The person's pages are stale. Returns (test, created)."""
        test, created = self.update_or_create(user=user, day=day, defaults=values)
        user.data_changed()
        return test, created


class SelfTest(models.Model):
    """Three quick checks of whether the training works, on one local day: the standing
    knee-raise hold on each side, the hardest leg-lift stage done cleanly, and how the hips
    feel in everyday life. Any of them may be left out, not all."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The local day of the test.")
    knee_left = models.PositiveSmallIntegerField(
        "left knee-raise hold", null=True, blank=True, help_text="Seconds, 0 to 60."
    )
    knee_right = models.PositiveSmallIntegerField(
        "right knee-raise hold", null=True, blank=True, help_text="Seconds, 0 to 60."
    )
    leg_lift = models.PositiveSmallIntegerField(
        "leg-lift control",
        null=True,
        blank=True,
        help_text="The hardest stage of the psoas-control ladder done cleanly, 0 to 4.",
    )
    everyday = models.PositiveSmallIntegerField(
        "everyday hips",
        null=True,
        blank=True,
        help_text="How the hips feel in daily life: 0 at their worst, 10 as good as can be.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SelfTestQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="self_test_once_a_day"),
            models.CheckConstraint(
                condition=(Q(knee_left__isnull=True) | Q(knee_left__lte=KNEE_RAISE_CAP))
                & (Q(knee_right__isnull=True) | Q(knee_right__lte=KNEE_RAISE_CAP)),
                name="self_test_knee_range",
            ),
            models.CheckConstraint(
                condition=Q(leg_lift__isnull=True) | Q(leg_lift__lte=LEG_LIFT_TOP),
                name="self_test_leg_lift_range",
            ),
            models.CheckConstraint(
                condition=Q(everyday__isnull=True) | Q(everyday__lte=EVERYDAY_TOP),
                name="self_test_everyday_range",
            ),
            models.CheckConstraint(
                condition=Q(knee_left__isnull=False)
                | Q(knee_right__isnull=False)
                | Q(leg_lift__isnull=False)
                | Q(everyday__isnull=False),
                name="self_test_has_a_result",
            ),
        ]

    def __str__(self):
        return f"{self.user}'s self-test on {self.day}"
