"""The drill catalog: drills, the equipment they need, and tracks (ordered ladders of stages).

Catalog rows have natural keys (slugs; a stage is its track plus its position) so that
`load_catalog` updates rows in place and never duplicates them.
"""

from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from hipapp import addresses


def split_lines(text: str) -> list[str]:
    """One item a line; blank lines are ignored."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Equipment(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "equipment"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class DrillQuerySet(models.QuerySet):
    def standalone(self):
        """Drills that belong to no track: warm-ups and off-day work."""
        return self.filter(stages__isnull=True)

    def with_equipment(self):
        return self.prefetch_related("equipment")


class Drill(models.Model):
    class Kind(models.TextChoices):
        MOBILITY = "mobility", "Mobility"
        STRETCH = "stretch", "Stretch"
        ISOMETRIC = "isometric", "Isometric hold"
        STRENGTH = "strength", "Strength"
        CONTROL = "control", "Control"

    class Measure(models.TextChoices):
        REPS = "reps", "Repetitions"
        SECONDS = "seconds", "Seconds"

    slug = models.SlugField(unique=True, help_text="Used in the drill's address; keep it stable.")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=200, help_text="One sentence: what the drill is for.")
    trains = models.CharField("what it trains", max_length=200)
    description = models.TextField(blank=True)
    equipment = models.ManyToManyField(Equipment, blank=True, related_name="drills")
    steps = models.TextField(help_text="One step a line, in order.")
    cues = models.TextField("coaching cues", blank=True, help_text="One cue a line.")
    mistakes = models.TextField("common mistakes", blank=True, help_text="One mistake a line.")
    safety = models.TextField("safety notes", blank=True, help_text="One note a line.")
    sets = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    measure = models.CharField(max_length=10, choices=Measure.choices, default=Measure.REPS)
    reps = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Repetitions a set (per side when one-sided)."
    )
    seconds = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Seconds a set: a hold or a timed set (per side when one-sided).",
    )
    per_side = models.BooleanField("one side at a time", default=False)
    rest_seconds = models.PositiveSmallIntegerField(default=60)
    starting_dose = models.BooleanField(
        "the dose is a starting point",
        default=False,
        help_text="Tick when no source gives this dose: people see it as a starting point to "
        "adjust, not as a prescription.",
    )
    dose_note = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    objects = SlugManager.from_queryset(DrillQuerySet)()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(measure="reps", reps__isnull=False, reps__gte=1, seconds__isnull=True))
                | (Q(measure="seconds", seconds__isnull=False, seconds__gte=1, reps__isnull=True)),
                name="drill_dose_matches_measure",
                violation_error_message=(
                    "A drill counted in repetitions needs reps and no seconds; "
                    "one counted in seconds needs seconds and no reps."
                ),
            ),
            models.CheckConstraint(condition=Q(sets__gte=1), name="drill_sets_at_least_one"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return addresses.url("exercises:drill", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def step_list(self):
        return split_lines(self.steps)

    @property
    def cue_list(self):
        return split_lines(self.cues)

    @property
    def mistake_list(self):
        return split_lines(self.mistakes)

    @property
    def safety_list(self):
        return split_lines(self.safety)

    @property
    def is_timed(self):
        return self.measure == self.Measure.SECONDS

    @property
    def dose(self):
        return describe_dose(self.sets, self.reps, self.seconds, self.per_side)

    @property
    def dose_label(self):
        """How the pages name the dose: a starting point when no source gives it."""
        return "Starting point" if self.starting_dose else "Prescribed"


def describe_dose(sets, reps, seconds, per_side) -> str:
    """'3 sets of 8 reps a side', '1 set of 45 s'."""
    amount = f"{reps} rep{'s' if reps != 1 else ''}" if reps else f"{seconds} s"
    side = " a side" if per_side else ""
    return f"{sets} set{'s' if sets != 1 else ''} of {amount}{side}"


class TrackQuerySet(models.QuerySet):
    def with_stages(self):
        return self.prefetch_related(
            models.Prefetch("stages", queryset=Stage.objects.select_related("drill"))
        )


class Track(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    summary = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Tracks are listed by this number, lowest first."
    )

    objects = SlugManager.from_queryset(TrackQuerySet)()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return addresses.url("catalog") + f"#track-{self.slug}"

    def natural_key(self):
        return (self.slug,)


@dataclass(frozen=True)
class Placement:
    """Where a drill sits in one track: its stage and the stages either side."""

    stage: "Stage"
    previous: "Stage | None"
    next: "Stage | None"
    total: int


class StageManager(models.Manager):
    def get_by_natural_key(self, track_slug, position):
        return self.get(track__slug=track_slug, position=position)

    def placements_of(self, drill: Drill) -> list[Placement]:
        """Every track the drill is a stage of, with the neighbouring stages (two queries)."""
        stages = list(self.filter(drill=drill).select_related("track").order_by("track"))
        if not stages:
            return []
        for stage in stages:
            stage.drill = drill
        siblings = {}
        for other in self.filter(track__in=[s.track_id for s in stages]).select_related("drill"):
            siblings[(other.track_id, other.position)] = other
        totals = {}
        for track_id, _position in siblings:
            totals[track_id] = totals.get(track_id, 0) + 1
        return [
            Placement(
                stage=stage,
                previous=siblings.get((stage.track_id, stage.position - 1)),
                next=siblings.get((stage.track_id, stage.position + 1)),
                total=totals[stage.track_id],
            )
            for stage in stages
        ]


class Stage(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(help_text="1 is the first, easiest stage.")
    drill = models.ForeignKey(Drill, on_delete=models.PROTECT, related_name="stages")
    goal = models.CharField(max_length=300, blank=True)
    target_sets = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    target_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    target_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    min_weeks = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    max_weeks = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    sessions_per_week = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text="Sessions a week needs for that week to count.",
    )

    objects = StageManager()

    class Meta:
        ordering = ["track", "position"]
        constraints = [
            models.UniqueConstraint(fields=["track", "position"], name="stage_position_unique"),
            models.CheckConstraint(
                condition=Q(min_weeks__lte=models.F("max_weeks")),
                name="stage_weeks_in_order",
                violation_error_message="The minimum weeks cannot be more than the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(target_reps__isnull=False) | Q(target_seconds__isnull=False),
                name="stage_has_target",
                violation_error_message="Give the stage a target in reps or in seconds.",
            ),
        ]

    def __str__(self):
        return f"{self.track.name}, stage {self.position}: {self.drill.name}"

    def natural_key(self):
        return (self.track.slug, self.position)

    natural_key.dependencies = ["exercises.track", "exercises.drill"]

    @property
    def target(self):
        return describe_dose(
            self.target_sets, self.target_reps, self.target_seconds, self.drill.per_side
        )

    @property
    def weeks(self):
        if self.min_weeks == self.max_weeks:
            return f"{self.min_weeks} weeks"
        return f"{self.min_weeks}-{self.max_weeks} weeks"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.drill_id is None:
            return
        if self.drill.measure == Drill.Measure.REPS and not self.target_reps:
            raise ValidationError(
                {"target_reps": "This drill is counted in reps: give a rep target."}
            )
        if self.drill.measure == Drill.Measure.SECONDS and not self.target_seconds:
            raise ValidationError(
                {"target_seconds": "This drill is counted in seconds: give a target in seconds."}
            )


class CatalogRevision(models.Model):
    """One row: a token that changes whenever staff change the catalog (exercises.revision).
    Kept in the database so that no cache eviction can lose it."""

    token = models.UUIDField()
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Catalog revision {self.token} of {self.changed_at:%Y-%m-%d %H:%M}"
