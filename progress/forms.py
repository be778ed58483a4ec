from datetime import timedelta
from urllib.parse import urlencode

from django import forms

from exercises import snapshot
from exercises.models import Drill, Stage

from .models import (
    EVERYDAY_TOP,
    KNEE_RAISE_CAP,
    LEG_LIFT_TOP,
    NOTE_MAX,
    REPS_MAX,
    SECONDS_MAX,
    CheckIn,
    SelfTest,
    SetEntry,
    TrainingSession,
)

BACKDATE_DAYS = 365


def past_day(day, today):
    """A day that can be logged: today or within the last year."""
    if day > today:
        raise forms.ValidationError("That date is in the future. Log what you have done.")
    if day < today - timedelta(days=BACKDATE_DAYS):
        raise forms.ValidationError("You can log sessions from the last year only.")
    return day


def day_widget(today):
    return forms.DateInput(
        attrs={
            "type": "date",
            "max": today.isoformat(),
            "min": (today - timedelta(days=BACKDATE_DAYS)).isoformat(),
        },
        format="%Y-%m-%d",
    )


class RangesInFieldsMixin:
    """The form fields check every range the model's CheckConstraints hold, so the constraints
    are left to the database on save rather than asked one query each while validating (nine
    round trips on a six-set log). The token's uniqueness is settled on save
    (TrainingSessionQuerySet.record)."""

    def validate_constraints(self):
        pass


PAIN_SCALE = range(0, 11)
PAIN_REQUIRED = "Choose how much it hurt, from 0 (no pain) to 10 (the worst). Nothing was saved."


def pain_field(**kwargs) -> forms.TypedChoiceField:
    """Pain 0-10 with no default: a person must choose it, never have it assumed."""
    return forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        choices=[("", "Choose 0-10")] + [(n, f"{n}") for n in PAIN_SCALE],
        error_messages={"required": PAIN_REQUIRED},
        **kwargs,
    )


class SessionForm(RangesInFieldsMixin, forms.ModelForm):
    token = forms.UUIDField(widget=forms.HiddenInput)
    effort = forms.TypedChoiceField(
        coerce=int,
        choices=[(n, f"{n}") for n in range(1, 11)],
        label="Effort (1-10)",
        help_text="1 is very easy, 10 is all-out.",
    )
    pain = pain_field(
        label="Pain (0-10)",
        help_text="0 is none, 10 is the worst. At 4 or more, Hipapp holds your progress.",
    )

    class Meta:
        model = TrainingSession
        fields = ["day", "effort", "pain", "note"]
        labels = {"day": "Date"}
        widgets = {
            "day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX}),
        }

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
        self.fields["day"].widget.attrs.update(
            max=today.isoformat(), min=(today - timedelta(days=BACKDATE_DAYS)).isoformat()
        )
        if self.instance.pk:
            del self.fields["token"]

    def clean_day(self):
        return past_day(self.cleaned_data["day"], self.today)


class PrescribedForm(forms.Form):
    """'Log as prescribed': the drill's dose as it stands, with the pain the person chose."""

    token = forms.UUIDField(error_messages={"required": "That form was out of date."})
    pain = pain_field()


class SentPrescribedForm(PrescribedForm):
    """'Log as prescribed' tapped with no signal, kept on the phone and sent later (static/sw.js):
    with the day it was tapped, checked as the log form checks its date."""

    day = forms.DateField(label="Date")

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def clean_day(self):
        return past_day(self.cleaned_data["day"], self.today)


class CheckInForm(forms.Form):
    """The morning after a training day: stiffness (the usual unless changed), then pain."""

    stiffness = forms.ChoiceField(
        choices=CheckIn.Stiffness.choices,
        initial=CheckIn.Stiffness.SAME,
        widget=forms.RadioSelect,
        label="Stiffness, compared with usual",
    )
    pain = pain_field()


class RedFlagsForm(forms.Form):
    """The box ticked once, before the first plan starts."""

    red_flags = forms.BooleanField(
        label="I have read when to stop and see someone",
        error_messages={"required": "Tick “I have read when to stop and see someone” first."},
    )


SIDES = [(SetEntry.Side.LEFT, "Left"), (SetEntry.Side.RIGHT, "Right"), (SetEntry.Side.BOTH, "Both")]


LEG_LIFT_TRACK = "psoas-control"


def leg_lift_choices() -> list[tuple[int, str]]:
    """0, then each stage of the psoas-control ladder by its drill (from the process's
    catalog): the hardest one done cleanly is the leg-lift result."""
    catalog = snapshot.catalog()
    track = next((t for t in catalog.tracks.values() if t.slug == LEG_LIFT_TRACK), None)
    names = {
        s.position: s.drill.name
        for s in catalog.stages.values()
        if track is not None and s.track_id == track.pk
    }
    return [(0, "None of them cleanly yet")] + [
        (n, f"Stage {n}: {names[n]}" if n in names else f"Stage {n}")
        for n in range(1, LEG_LIFT_TOP + 1)
    ]


def knee_field(side: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=f"{side.capitalize()} knee raised (seconds)",
        required=False,
        min_value=0,
        max_value=KNEE_RAISE_CAP,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "data-hold-side": side}),
    )


EVERYDAY_WORDS = {0: "at their worst", 5: "so-so", 10: "as good as they could be"}


class SelfTestForm(RangesInFieldsMixin, forms.ModelForm):
    """The three self-tests; any may be left out, not all. A knee field is timed by
    static/js/self-test.js where scripts run, and typed in where they do not."""

    knee_left = knee_field("left")
    knee_right = knee_field("right")
    leg_lift = forms.TypedChoiceField(
        label="The hardest stage you can do cleanly today",
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Cleanly: your low back stays flat on the floor through every rep.",
    )
    everyday = forms.TypedChoiceField(
        label="How do your hips feel in everyday life?",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "Not rated")]
        + [
            (n, f"{n}" + (f" ({EVERYDAY_WORDS[n]})" if n in EVERYDAY_WORDS else ""))
            for n in range(EVERYDAY_TOP + 1)
        ],
        help_text="0 is at their worst, 10 as good as they could be.",
    )

    class Meta:
        model = SelfTest
        fields = ["knee_left", "knee_right", "leg_lift", "everyday", "day"]
        labels = {"day": "Date"}

    def __init__(self, *args, today, user, **kwargs):
        self.today, self.user = today, user
        super().__init__(*args, **kwargs)
        self.fields["day"].widget = day_widget(today)
        self.fields["leg_lift"].choices = leg_lift_choices()

    def clean_day(self):
        day = past_day(self.cleaned_data["day"], self.today)
        other = SelfTest.objects.for_user(self.user).filter(day=day).exclude(pk=self.instance.pk)
        if self.instance.pk and other.exists():
            raise forms.ValidationError(
                "There is a self-test on that day already: edit that one instead."
            )
        return day

    def clean(self):
        cleaned = super().clean()
        results = ("knee_left", "knee_right", "leg_lift", "everyday")
        if not self.errors and all(cleaned.get(name) is None for name in results):
            raise forms.ValidationError("Fill in at least one of the tests. Nothing was saved.")
        return cleaned

    def results(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("knee_left", "knee_right", "leg_lift", "everyday")
        }


class SetFields:
    """One set's fields, shaped by the drill: reps or seconds (required), the side on one-sided
    drills, and the band or load. Widgets carry Bootstrap's classes, so a set is drawn in one
    Jinja2 template (jinja2/hipapp/set_fields.html), not a field template per field."""

    template_name = "hipapp/set_fields.html"

    def shape(self, drill: Drill):
        self.drill = drill
        measure = "seconds" if drill.is_timed else "reps"
        del self.fields["reps" if drill.is_timed else "seconds"]
        self.fields[measure].required = True
        if not drill.per_side:
            del self.fields["side"]


def amount_field(label: str, maximum: int, **attrs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=maximum,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control"} | attrs),
    )


class NewSetForm(SetFields, forms.Form):
    """A set of a session being logged (NewSetFormSet)."""

    reps = amount_field("Reps", REPS_MAX)
    seconds = amount_field("Seconds", SECONDS_MAX, **{"data-timer-target": ""})
    side = forms.ChoiceField(choices=SIDES, widget=forms.Select(attrs={"class": "form-select"}))
    load = forms.CharField(
        label="Band or load",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "e.g. light band", "class": "form-control"}),
    )

    def __init__(self, *args, drill: Drill, **kwargs):
        super().__init__(*args, **kwargs)
        self.shape(drill)


class SetForm(SetFields, RangesInFieldsMixin, forms.ModelForm):
    """A set of a session being edited (SetFormSet): the same fields, saved to its row."""

    reps = NewSetForm.base_fields["reps"]
    seconds = NewSetForm.base_fields["seconds"]
    side = NewSetForm.base_fields["side"]

    class Meta:
        model = SetEntry
        fields = ["reps", "seconds", "side", "load"]
        widgets = {"load": NewSetForm.base_fields["load"].widget}

    def __init__(self, *args, drill: Drill, **kwargs):
        super().__init__(*args, **kwargs)
        self.shape(drill)


class DrillSets:
    """What both set formsets share: the drill for every form, at least one set kept, and the
    kept sets as values."""

    def __init__(self, *args, drill, **kwargs):
        self.drill = drill
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return super().get_form_kwargs(index) | {"drill": self.drill}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            drill=self.drill,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def kept(self):
        return [
            form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]

    def clean(self):
        super().clean()
        if not self.kept():
            raise forms.ValidationError("Log at least one set.")

    def set_values(self) -> list[dict]:
        """The sets kept, in order, as TrainingSessionQuerySet.record takes them."""
        return [
            {
                "reps": form.cleaned_data.get("reps"),
                "seconds": form.cleaned_data.get("seconds"),
                "side": form.cleaned_data.get("side") or SetEntry.Side.BOTH,
                "load": form.cleaned_data.get("load", ""),
            }
            for form in self.kept()
        ]


class BaseNewSetFormSet(DrillSets, forms.BaseFormSet):
    """The sets of a new session: plain forms (no rows to load or save until it is recorded).
    A set left empty is skipped, so a set is removed by clearing it."""

    @classmethod
    def get_default_prefix(cls):
        return "sets"  # as the edit form's, so one posted form fits both

    def initial_form_count(self):
        """Prefilled sets are extra forms too (the view sets `extra`), so any may be emptied."""
        return super().initial_form_count() if self.is_bound else 0


NewSetFormSet = forms.formset_factory(
    NewSetForm, formset=BaseNewSetFormSet, extra=0, min_num=0, max_num=20, validate_max=True
)


class BaseSetFormSet(DrillSets, forms.BaseInlineFormSet):
    """The sets of a session being edited: changed in place, removed with their box."""

    def save(self, commit=True):
        instances = super().save(commit=False)
        for obj in self.deleted_objects:
            obj.delete()
        kept = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        for position, entry in enumerate(kept, start=1):
            entry.position = position
            entry.session = self.instance
        if commit:
            for entry in kept:
                if not entry._state.adding:
                    entry.save()
            self.model.objects.bulk_create([entry for entry in kept if entry._state.adding])
        return instances


SetFormSet = forms.inlineformset_factory(
    TrainingSession,
    SetEntry,
    form=SetForm,
    formset=BaseSetFormSet,
    fields=["reps", "seconds", "side", "load"],
    extra=0,
    min_num=1,
    max_num=20,
    validate_max=True,
    can_delete=True,
)


class HistoryFilterForm(forms.Form):
    """Narrow the session list to one track's drills or one drill. Unknown values are errors."""

    track = forms.ChoiceField(required=False, label="Track")
    drill = forms.ChoiceField(required=False, label="Drill")

    def __init__(self, *args, tracks, drills, **kwargs):
        super().__init__(*args, **kwargs)
        self.tracks = {t.slug: t for t in tracks}
        self.drills = {d.slug: d for d in drills}
        self.fields["track"].choices = [("", "All tracks")] + [(t.slug, t.name) for t in tracks]
        self.fields["drill"].choices = [("", "All drills")] + [(d.slug, d.name) for d in drills]
        for name in ("track", "drill"):
            self.fields[name].error_messages["invalid_choice"] = (
                f"There is no {name} called “%(value)s” in your history."
            )

    def apply(self, sessions):
        """The sessions the filter keeps: all of them when it could not be read."""
        if not self.is_bound or not self.is_valid():
            return sessions
        track = self.tracks.get(self.cleaned_data["track"])
        drill = self.drills.get(self.cleaned_data["drill"])
        if track is not None:
            sessions = sessions.filter(drill__in=Stage.objects.filter(track=track).values("drill"))
        if drill is not None:
            sessions = sessions.filter(drill__slug=drill.slug)
        return sessions

    def query_without_page(self):
        """The filter's query string, for the pagination links."""
        if not self.is_bound or not self.is_valid():
            return ""
        return urlencode({name: value for name, value in self.cleaned_data.items() if value})
