"""Reading and writing the catalog file (`fixtures/catalog.json`).

The file is the catalog's source of truth in version control. `load` applies it to the
database by natural key (slugs; a stage is its track and position), so loading twice changes
nothing and nothing users logged is touched. `dump` writes the database back in the same
shape, so edits made in the admin can be committed.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from .models import Drill, Equipment, Stage, Track, split_lines
from .revision import catalog_changed

CATALOG_PATH = Path(settings.BASE_DIR) / "fixtures" / "catalog.json"

DRILL_FIELDS = [
    "slug", "name", "kind", "summary", "trains", "description", "equipment",
    "steps", "cues", "mistakes", "safety",
    "sets", "measure", "reps", "seconds", "per_side", "rest_seconds", "starting_dose",
    "dose_note", "notes",
]  # fmt: skip
LINE_FIELDS = {"steps", "cues", "mistakes", "safety"}
TRACK_FIELDS = ["slug", "name", "summary", "description", "notes"]
STAGE_FIELDS = [
    "drill", "goal", "target_sets", "target_reps", "target_seconds",
    "min_weeks", "max_weeks", "sessions_per_week",
]  # fmt: skip


class CatalogError(Exception):
    """The catalog file cannot be applied; the message says where and why."""


def read(path: Path = CATALOG_PATH) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CatalogError(f"{path}: {exc}") from exc


def write(data: dict, path: Path = CATALOG_PATH) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    Path(path).write_text(text, encoding="utf-8")


def _save(instance, where: str, exclude=()):
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        details = "; ".join(
            f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()
        )
        raise CatalogError(f"{where}: {details}") from exc
    instance.save()
    return instance


def _expect_keys(entry: dict, fields: list[str], where: str) -> None:
    missing = [f for f in fields if f not in entry]
    unknown = [k for k in entry if k not in fields and k != "stages"]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown {', '.join(unknown)}")
        raise CatalogError(f"{where}: {'; '.join(parts)}")


@transaction.atomic
def load(data: dict) -> dict[str, int]:
    """Apply a catalog to the database. Returns how many rows were created and updated."""
    counts = {"created": 0, "updated": 0}

    def upsert(model, lookup: dict, values: dict, where: str, exclude=()):
        instance = model.objects.filter(**lookup).first()
        created = instance is None
        if created:
            instance = model(**lookup)
            counts["created"] += 1
        elif any(getattr(instance, k) != v for k, v in values.items()):
            counts["updated"] += 1
        for key, value in values.items():
            setattr(instance, key, value)
        return _save(instance, where, exclude), created

    for item in data.get("equipment", []):
        upsert(Equipment, {"slug": item["slug"]}, {"name": item["name"]}, f"equipment {item}")
    equipment = {e.slug: e for e in Equipment.objects.all()}

    for entry in data.get("drills", []):
        where = f"drill {entry.get('slug', '?')}"
        _expect_keys(entry, DRILL_FIELDS, where)
        values = {f: entry[f] for f in DRILL_FIELDS if f not in {"slug", "equipment"}}
        for field in LINE_FIELDS:
            values[field] = "\n".join(values[field])
        values = {k: ("" if v is None and k in {"description", "dose_note", "notes"} else v)
                  for k, v in values.items()}  # fmt: skip
        drill, created = upsert(Drill, {"slug": entry["slug"]}, values, where)
        try:
            wanted = {equipment[slug] for slug in entry["equipment"]}
        except KeyError as exc:
            raise CatalogError(f"{where}: unknown equipment {exc.args[0]!r}") from exc
        if set(drill.equipment.all()) != wanted:
            drill.equipment.set(wanted)
            counts["updated"] += not created
    drills = {d.slug: d for d in Drill.objects.all()}

    for position, entry in enumerate(data.get("tracks", []), start=1):
        where = f"track {entry.get('slug', '?')}"
        _expect_keys(entry, TRACK_FIELDS, where)
        values = {f: entry[f] for f in TRACK_FIELDS if f != "slug"} | {"position": position}
        track, _ = upsert(Track, {"slug": entry["slug"]}, values, where)
        stages = entry.get("stages", [])
        for number, stage in enumerate(stages, start=1):
            stage_where = f"{where}, stage {number}"
            _expect_keys(stage, STAGE_FIELDS, stage_where)
            if stage["drill"] not in drills:
                raise CatalogError(f"{stage_where}: unknown drill {stage['drill']!r}")
            values = {f: stage[f] for f in STAGE_FIELDS if f != "drill"}
            values["drill"] = drills[stage["drill"]]
            values["goal"] = values["goal"] or ""
            upsert(Stage, {"track": track, "position": number}, values, stage_where)
        extra = Stage.objects.filter(track=track, position__gt=len(stages))
        if extra.exists():
            counts["updated"] += extra.count()
            try:
                extra.delete()
            except ProtectedError as exc:
                raise CatalogError(
                    f"{where}: stages past {len(stages)} are in use by people following the "
                    "track; keep them, or move those people first"
                ) from exc
    if counts["created"] or counts["updated"]:
        transaction.on_commit(catalog_changed)
    return counts


def dump() -> dict:
    """The database's catalog, in the file's format and a stable order."""
    drills = []
    for drill in Drill.objects.order_by("slug").prefetch_related("equipment"):
        entry = {}
        for field in DRILL_FIELDS:
            if field == "equipment":
                entry[field] = sorted(e.slug for e in drill.equipment.all())
            elif field in LINE_FIELDS:
                entry[field] = split_lines(getattr(drill, field))
            else:
                entry[field] = getattr(drill, field)
        drills.append(entry)
    tracks = []
    for track in Track.objects.order_by("position", "slug").with_stages():
        entry = {field: getattr(track, field) for field in TRACK_FIELDS}
        entry["stages"] = [
            {
                field: (stage.drill.slug if field == "drill" else getattr(stage, field))
                for field in STAGE_FIELDS
            }  # fmt: skip
            for stage in track.stages.all()
        ]
        tracks.append(entry)
    return {
        "equipment": [{"slug": e.slug, "name": e.name} for e in Equipment.objects.order_by("slug")],
        "drills": drills,
        "tracks": tracks,
    }
