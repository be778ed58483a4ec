from django import forms
from django.contrib import admin
from django.db.models import Count

from .models import Drill, Equipment, Stage, Track
from .revision import catalog_changed


class CatalogAdmin(admin.ModelAdmin):
    """Every change staff make to the catalog leaves people's cached pages stale."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        catalog_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalog_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        catalog_changed()


@admin.register(Equipment)
class EquipmentAdmin(CatalogAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Drill)
class DrillAdmin(CatalogAdmin):
    list_display = ["name", "kind", "dose", "slug"]
    list_filter = ["kind", "equipment", "measure", "per_side"]
    search_fields = ["name", "slug", "summary", "trains", "steps", "cues"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "kind", "summary", "trains", "description", "equipment"]},
        ),
        ("How to do it", {"fields": ["steps", "cues", "mistakes", "safety"]}),
        (
            "Dose",
            {
                "fields": [
                    "sets",
                    "measure",
                    "reps",
                    "seconds",
                    "per_side",
                    "rest_seconds",
                    "starting_dose",
                    "dose_note",
                ]
            },
        ),
        ("Notes", {"fields": ["notes"]}),
    ]


class StageForm(forms.ModelForm):
    def _get_validation_exclusions(self):
        # Positions are checked across the whole ladder by StageFormSet, so that staff
        # can swap two stages in one save.
        return super()._get_validation_exclusions() | {"position"}


def name_inputs(form, row):
    """Name each input after its column and row ("Goal, stage 2"): a table cell has no <label>."""
    for field in form.fields.values():
        if not field.widget.is_hidden:
            field.widget.attrs["aria-label"] = f"{field.label}, {row}"


class StageFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        stage = form.instance
        name_inputs(form, f"stage {stage.position}" if stage.pk else "new stage")

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            position = form.cleaned_data.get("position")
            if position in seen:
                raise forms.ValidationError(
                    f"Two stages are at position {position}; give each its own."
                )
            seen.add(position)

    def save(self, commit=True):
        # Park the rows that move or go away on free positions first, so that the unique
        # (track, position) constraint holds at every step of the save.
        parked = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk
            and ("position" in form.changed_data or self._should_delete_form(form))
        ]
        for offset, pk in enumerate(parked):
            Stage.objects.filter(pk=pk).update(position=30_000 + offset)
        return super().save(commit)


class StageInline(admin.TabularInline):
    model = Stage
    form = StageForm
    formset = StageFormSet
    extra = 0
    ordering = ["position"]
    autocomplete_fields = ["drill"]
    fields = [
        "position", "drill", "goal", "target_sets", "target_reps", "target_seconds",
        "min_weeks", "max_weeks", "sessions_per_week",
    ]  # fmt: skip


class TrackRowForm(forms.ModelForm):
    """A row of the track list, where the position can be edited in place."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_inputs(self, self.instance.name)


@admin.register(Track)
class TrackAdmin(CatalogAdmin):
    list_display = ["name", "position", "stage_count", "slug"]
    list_editable = ["position"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StageInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_stage_count=Count("stages"))

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=TrackRowForm, **kwargs)

    @admin.display(description="stages", ordering="_stage_count")
    def stage_count(self, track):
        return track._stage_count
