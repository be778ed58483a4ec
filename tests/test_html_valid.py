"""The Nu HTML Checker (the W3C validator) finds no error on the pages that show training:
today, history, a drill and its chart, the self-test pages and the share page, each with more
than the plan in it. The pages are saved and checked in one run of the checker (one JVM).

The checker is vnu.jar from the npm package vnu-jar (tests/vnu/package-lock.json), installed
by `make install-dev` and `make test`; Java 17 runs it."""

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

from django.test import Client

from exercises.models import Drill
from progress.models import SelfTest, SetEntry, TrainingSession
from tests.conftest import TODAY, daily, follow, sessions

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "tests" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def check(files: list[Path]) -> list[str]:
    """The checker's errors, as 'file: line: message'."""
    java = shutil.which("java")
    assert java, "the HTML check needs Java 17 or newer (Debian: openjdk-17-jre-headless)"
    assert VNU.exists(), f"no {VNU}: run `make install-dev` (npm ci --prefix tests/vnu)"
    result = subprocess.run(
        [java, "-Xss1m", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{Path(m.get('url', '')).name}: {m.get('lastLine', '?')}: {m['message']}" for m in messages
    ]


def more_than_the_plan(user):
    """Four days a week on a three-day plan for seven weeks of a three-to-four-week stage; a
    one-sided drill with a gap; self-tests; a drill left behind twelve weeks ago."""
    followed = follow(user, "psoas-control", TODAY - timedelta(weeks=7))
    stage = followed.stage
    days = [d for d in daily(TODAY - timedelta(weeks=7), TODAY) if d.weekday() < 4]
    sessions(user, stage.drill, days, values=(stage.target_reps,) * (stage.target_sets * 2))
    sessions(user, Drill.objects.get(slug="toe-tap"), [TODAY - timedelta(weeks=20)], values=(30,))
    plank = Drill.objects.get(slug="side-plank-hip-flexion")
    made = TrainingSession.objects.bulk_create(
        TrainingSession(user=user, drill=plank, day=day, effort=5, pain=5, note="n")
        for day in (TODAY - timedelta(days=2), TODAY)
    )
    SetEntry.objects.bulk_create(
        SetEntry(session=s, position=n, side=side, seconds=seconds)
        for s in made
        for n, (side, seconds) in enumerate((("left", 15), ("right", 25)), start=1)
    )
    TrainingSession.objects.summarise(user)
    SelfTest.objects.create(user=user, day=TODAY - timedelta(weeks=5), knee_left=20, knee_right=30,
                            leg_lift=1, everyday=4)  # fmt: skip
    return SelfTest.objects.create(user=user, day=TODAY, knee_left=0, knee_right=None, everyday=7)


def test_the_training_pages_are_valid_html(client, catalog, alice, frozen, tmp_path):
    test = more_than_the_plan(alice)
    client.force_login(alice)
    client.post("/account/sharing/", {"label": "Physio", "days": "30", "include_notes": "on"})
    shared = client.get("/account/sharing/").content.decode()
    share_url = shared.split('value="http://testserver', 1)[1].split('"', 1)[0]
    pages = {
        "today": (client, "/today/"),
        "history": (client, "/history/"),
        "sessions": (client, "/sessions/"),
        "drill-chart-one-sided": (client, "/history/side-plank-hip-flexion/"),
        "drill-chart-left-behind": (client, "/history/toe-tap/"),
        "drill-chart": (client, "/history/back-flattening/"),
        "drill": (client, "/drills/prisoner-knee-raise-hold/"),
        "self-tests": (client, "/self-tests/"),
        "self-test-form": (client, "/self-tests/new/"),
        "self-test-edit": (client, f"/self-tests/{test.pk}/edit/"),
        "sharing": (client, "/account/sharing/"),
        "share": (Client(), share_url),
    }
    files = []
    for name, (browser, url) in pages.items():
        response = browser.get(url)
        assert response.status_code == 200, url
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    assert "3 past the plan" in (tmp_path / "today.html").read_text()
    assert "4 of 3" in (tmp_path / "history.html").read_text()
    # And the markup the pages had before, to show that the check can fail.
    before = tmp_path / "before.html"
    before.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>'
        '<body><progress value="5" max="4">5 of 4</progress></body></html>'
    )
    errors = check([*files, before])
    assert len(errors) == 1 and errors[0].startswith("before.html: 1: ")
    assert "must be less than or equal to the value of the “max”" in errors[0]
