"""The catalog file: complete, loaded idempotently, exported back unchanged."""

import json

import pytest
from django.core.management import CommandError, call_command

from exercises import catalog as catalog_file
from exercises.models import Drill, Equipment, Stage, Track

SEED_DRILLS = {
    "under-bar-mobility",
    "prisoner-knee-raise-hold",
    "band-hurdle-hold",
    "side-plank-hip-flexion",
    "banded-mountain-climber",
    "hanging-hip-flexion",
    "back-flattening",
    "supine-leg-lift",
    "leg-lift-bigger-range",
    "leg-lift-straighter-leg",
    "psoas-march",
    "toe-tap",
    "deep-lunge-side-bend",
}


def ladder(slug):
    return list(
        Stage.objects.filter(track__slug=slug)
        .order_by("position")
        .values_list("drill__slug", flat=True)
    )


def test_every_drill_from_the_seed_articles_is_in_the_catalog(catalog):
    assert set(Drill.objects.values_list("slug", flat=True)) >= SEED_DRILLS


def test_the_hip_flexion_ladder_runs_easy_to_hard_at_three_to_four_weeks_a_stage(catalog):
    assert ladder("hip-flexion-ladder") == [
        "band-hurdle-hold",
        "side-plank-hip-flexion",
        "banded-mountain-climber",
        "hanging-hip-flexion",
    ]
    weeks = Stage.objects.filter(track__slug="hip-flexion-ladder").values_list(
        "min_weeks", "max_weeks"
    )
    assert set(weeks) == {(3, 4)}


def test_the_psoas_control_ladder_starts_with_back_flattening_then_the_leg_lifts(catalog):
    assert ladder("psoas-control") == [
        "back-flattening",
        "supine-leg-lift",
        "leg-lift-bigger-range",
        "leg-lift-straighter-leg",
    ]


def test_stand_alone_mobility_drills_stay_out_of_the_tracks(catalog):
    standalone = set(Drill.objects.standalone().values_list("slug", flat=True))
    assert {"under-bar-mobility", "deep-lunge-side-bend", "prisoner-knee-raise-hold"} <= standalone


def test_every_drill_has_steps_cues_mistakes_safety_and_a_dose(catalog):
    for drill in Drill.objects.all():
        assert len(drill.step_list) >= 3, drill.slug
        assert drill.cue_list and drill.mistake_list and drill.safety_list, drill.slug
        assert drill.dose.startswith(f"{drill.sets} set"), drill.slug


def test_loading_twice_duplicates_nothing_and_reports_no_changes(db, capsys):
    call_command("load_catalog")
    counts = (
        Drill.objects.count(),
        Track.objects.count(),
        Stage.objects.count(),
        Equipment.objects.count(),
    )
    call_command("load_catalog")
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert (
        Drill.objects.count(),
        Track.objects.count(),
        Stage.objects.count(),
        Equipment.objects.count(),
    ) == counts


def test_loading_updates_rows_by_slug_in_place(catalog, tmp_path):
    drill = Drill.objects.get(slug="toe-tap")
    data = json.loads(catalog_path_text())
    entry = next(d for d in data["drills"] if d["slug"] == "toe-tap")
    entry["name"] = "Toe tap (slow)"
    entry["seconds"] = 45
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data))

    call_command("load_catalog", path=path)

    drill.refresh_from_db()  # same row, same primary key
    assert (drill.name, drill.seconds) == ("Toe tap (slow)", 45)
    assert Drill.objects.filter(slug="toe-tap").count() == 1


def catalog_path_text():
    return catalog_file.CATALOG_PATH.read_text(encoding="utf-8")


def test_export_writes_the_file_back_byte_for_byte(catalog, tmp_path):
    path = tmp_path / "catalog.json"
    call_command("export_catalog", path=path)
    assert path.read_text(encoding="utf-8") == catalog_path_text()


def test_an_edit_made_in_the_database_survives_export_and_reload(catalog, tmp_path):
    drill = Drill.objects.get(slug="psoas-march")
    drill.name = "Banded psoas march"
    drill.steps = "First step.\nSecond step.\nThird step."
    drill.save()
    stage = Stage.objects.get(track__slug="psoas-control", position=2)
    stage.min_weeks, stage.max_weeks = 2, 5
    stage.save()
    path = tmp_path / "catalog.json"
    call_command("export_catalog", path=path)

    Stage.objects.all().delete()
    Track.objects.all().delete()
    Drill.objects.all().delete()
    call_command("load_catalog", path=path)

    drill = Drill.objects.get(slug="psoas-march")
    assert drill.name == "Banded psoas march"
    assert drill.step_list == ["First step.", "Second step.", "Third step."]
    stage = Stage.objects.get(track__slug="psoas-control", position=2)
    assert (stage.min_weeks, stage.max_weeks) == (2, 5)
    assert catalog_file.dump() == json.loads(path.read_text(encoding="utf-8"))


def test_a_drill_added_by_staff_is_kept_when_the_file_is_loaded_again(catalog):
    Drill.objects.create(
        slug="staff-drill", name="Staff drill", kind="mobility", summary="s", trains="t",
        steps="a\nb\nc", sets=1, measure="reps", reps=5,
    )  # fmt: skip
    call_command("load_catalog")
    assert Drill.objects.filter(slug="staff-drill").exists()


def test_a_shorter_track_in_the_file_removes_the_extra_stages(catalog, tmp_path):
    data = json.loads(catalog_path_text())
    data["tracks"][0]["stages"] = data["tracks"][0]["stages"][:2]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data))
    call_command("load_catalog", path=path)
    assert len(ladder(data["tracks"][0]["slug"])) == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["drills"][0].update(kind="yoga"), "kind"),
        (lambda d: d["drills"][0].pop("steps"), "missing steps"),
        (
            lambda d: d["drills"][0].update(equipment=["trampoline"]),
            "unknown equipment 'trampoline'",
        ),
        (lambda d: d["tracks"][0]["stages"][0].update(drill="nope"), "unknown drill 'nope'"),
        (lambda d: d["drills"][0].update(reps=None, seconds=None), "reps"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_half_saved(
    db, tmp_path, change, message
):
    data = json.loads(catalog_path_text())
    change(data)
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match=message):
        call_command("load_catalog", path=path)
    assert Drill.objects.count() == 0
    assert Track.objects.count() == 0


def test_a_file_that_is_not_json_is_refused(db, tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="catalog.json"):
        call_command("load_catalog", path=path)


def test_if_empty_leaves_a_loaded_catalog_alone(catalog, capsys):
    Drill.objects.filter(slug="toe-tap").update(name="Edited by staff")
    call_command("load_catalog", if_empty=True)
    assert "already loaded" in capsys.readouterr().out
    assert Drill.objects.get(slug="toe-tap").name == "Edited by staff"


# Doses no source article gives: the hip-flexion ladder (its article gives weeks, not sets or
# reps), back flattening and the two later leg lifts (the psoas article gives reps only for the
# first leg lift), the psoas march and the deep lunge.
STARTING_POINTS = {
    "band-hurdle-hold",
    "side-plank-hip-flexion",
    "banded-mountain-climber",
    "hanging-hip-flexion",
    "back-flattening",
    "leg-lift-bigger-range",
    "leg-lift-straighter-leg",
    "psoas-march",
    "deep-lunge-side-bend",
}


def test_doses_no_source_gives_are_starting_points_and_sourced_ones_are_not(catalog):
    marked = set(Drill.objects.filter(starting_dose=True).values_list("slug", flat=True))
    assert marked == STARTING_POINTS
    assert Drill.objects.get(slug="band-hurdle-hold").dose_label == "Starting point"
    assert Drill.objects.get(slug="toe-tap").dose_label == "Prescribed"


def test_standing_legs_are_straight_but_not_locked():
    text = catalog_path_text()
    assert "fully extended" not in text and "full extension" not in text
    drill = next(d for d in json.loads(text)["drills"] if d["slug"] == "prisoner-knee-raise-hold")
    assert any("straight but not locked" in step for step in drill["steps"])
