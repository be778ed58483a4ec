from datetime import timedelta
from urllib.parse import urlencode

from django import forms

from exercises.models import Drill, Stage

from .models import NOTE_MAX, REPS_MAX, SECONDS_MAX, CheckIn, SetEntry, TrainingSession

BACKDATE_DAYS = 365


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
        return check_day(self.cleaned_data["day"], self.today)


def check_day(day, today):
    """A session's day: not in the future, and at most a year back."""
    if day > today:
        raise forms.ValidationError("That date is in the future. Log what you have done.")
    if day < today - timedelta(days=BACKDATE_DAYS):
        raise forms.ValidationError("You can log sessions from the last year only.")
    return day


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
        return check_day(self.cleaned_data["day"], self.today)


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


class SetForm(RangesInFieldsMixin, forms.ModelForm):
    reps = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=REPS_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    seconds = forms.IntegerField(
        label="Seconds",
        required=False,
        min_value=0,
        max_value=SECONDS_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "data-timer-target": ""}),
    )

    class Meta:
        model = SetEntry
        fields = ["reps", "seconds", "side", "load"]
        widgets = {"load": forms.TextInput(attrs={"placeholder": "e.g. light band"})}

    def __init__(self, *args, drill: Drill, **kwargs):
        super().__init__(*args, **kwargs)
        self.drill = drill
        measure = "seconds" if drill.is_timed else "reps"
        del self.fields["reps" if drill.is_timed else "seconds"]
        self.fields[measure].required = True
        if not drill.per_side:
            del self.fields["side"]
        else:
            self.fields["side"].choices = [
                (SetEntry.Side.LEFT, "Left"),
                (SetEntry.Side.RIGHT, "Right"),
                (SetEntry.Side.BOTH, "Both"),
            ]


class BaseSetFormSet(forms.BaseInlineFormSet):
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

    def clean(self):
        super().clean()
        kept = [
            form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]
        if not kept:
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
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]

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
