"""Project-wide promises: health check, migrations, deploy settings."""

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_answers_ok_after_a_database_round_trip(db, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


def test_models_and_migrations_agree(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789",
            "DJANGO_ALLOWED_HOSTS": "hipapp.example.com",
            "EMAIL_URL": "smtp://hipapp:secret@mail.example.com:587",
        }
        | extra
    )
    return env


def test_deploy_check_is_clean_with_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_yes_no_variable_with_a_typo_is_refused():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=production_env(DJANGO_DEBUG="ture"), capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "DJANGO_DEBUG='ture'" in result.stderr


def cache_settings(**env) -> dict:
    """CACHES as the settings module builds them from these variables (REDIS_URL unset)."""
    script = "import json; from hipapp import settings; print(json.dumps(settings.CACHES))"
    environ = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | env
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["default"]


def test_the_cache_is_shared_through_the_database_or_redis_never_kept_in_a_process():
    database = cache_settings()
    assert database["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert database["OPTIONS"]["MAX_ENTRIES"] >= 10_000  # Django's 300 is a few people's pages
    redis = cache_settings(REDIS_URL="redis://127.0.0.1:6379/3")
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
    }


def test_collected_static_files_get_brotli_copies_for_whitenoise(tmp_path):
    env = production_env(DJANGO_STATIC_ROOT=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    css = list(tmp_path.glob("css/hipapp.*.css"))
    assert css, list(tmp_path.iterdir())
    assert css[0].with_name(css[0].name + ".br").exists()


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"VAPID_PUBLIC_KEY": "B" + "A" * 86}, "go together"),  # 65 bytes, no private key
        ({"VAPID_PRIVATE_KEY": "too-short"}, "VAPID_PRIVATE_KEY: expected 32 bytes"),
        ({"HIPAPP_SITE_URL": "hipapp.example.com"}, "expected https://host"),
        ({"HIPAPP_REMINDER_ATTEMPTS": "0"}, "expected 1 or more"),
    ],
)
def test_reminder_settings_that_cannot_work_are_refused(variables, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=production_env(**variables), capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert message in result.stderr


def test_collected_static_files_point_the_players_modules_at_their_hashed_names(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        cwd=ROOT, env=production_env(DJANGO_STATIC_ROOT=str(tmp_path)),
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    (player,) = (tmp_path / "js").glob("player.*.js")
    imports = [line for line in player.read_text().splitlines() if line.startswith("import ")]
    assert len(imports) == 5
    for line in imports:
        name = line.split('"./')[1].rstrip('";')
        assert (tmp_path / "js" / name).exists() and name.count(".") == 2, line  # timer.<hash>.js


def test_a_calendar_day_is_written_in_a_template_as_djangos_date_filter_writes_it():
    """hipapp.jinja2.date writes calendar days itself (a fast path): the same text as Django's
    filter for every format the templates use, on every day of a leap year."""
    from django.template import defaultfilters
    from django.template.loader import get_template

    from hipapp import jinja2

    formats = set()
    for template in (Path(__file__).resolve().parent.parent / "jinja2").rglob("*.html"):
        formats |= set(re.findall(r"""\|date\(["']([^"']+)["']\)""", template.read_text()))
    assert {"D, M j", "l, F j", "M j, Y", "j F Y"} <= formats
    days_only = {form for form in formats if jinja2._day_format(form) is not None}
    assert formats - days_only == {"j M Y, H:i"}  # a time: Django's filter writes it
    day = date(2028, 1, 1)
    while day.year == 2028:
        for form in days_only | {"d/m/Y n-m"}:
            assert jinja2.date(day, form) == defaultfilters.date(day, form), (day, form)
        day += timedelta(days=1)
    # A time, or a letter the fast path does not write, is Django's to write.
    assert jinja2._day_format("j M Y, H:i") is None
    assert jinja2._day_format(r"\D j") is None
    page = get_template("progress/week_cells.html")  # the environment loads its filters
    assert page.template.environment.filters["date"] is jinja2.date
