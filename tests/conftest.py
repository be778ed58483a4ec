import os
import re
import shutil
import threading
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exercises import catalog as catalog_file
from exercises import snapshot
from exercises.models import Stage

# Playwright's sync API runs an event loop in the test thread; the ORM calls our browser
# tests make between page actions are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse 42 battery"
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # a Wednesday, in Berlin
TODAY = NOW.date()
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, not memory. With an in-memory database the live
    server shares the test's one connection between its request threads, and requests a browser
    makes side by side (a page, and the service worker keeping others in the background) then
    run their statements in one another's way ("database table is locked"). With a file, each
    request has its own connection, as under gunicorn. A database thrown away after the run
    need not survive a power cut: synchronous=OFF keeps it as fast as memory."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = str(tmp_path_factory.mktemp("database") / "test.sqlite3")
        database["TEST"] = database.get("TEST", {}) | {"NAME": name}
        pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
        database["OPTIONS"] = database["OPTIONS"] | {"init_command": pragmas}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def own_cache_keys(settings):
    """Each test starts with an empty cache. The database cache is rolled back with the test;
    a shared Redis (REDIS_URL) keeps keys across tests and runs, so each test gets a key prefix
    of its own rather than flushing a server others may use."""
    settings.CACHES = {
        name: config | {"KEY_PREFIX": uuid.uuid4().hex} for name, config in settings.CACHES.items()
    }


def sent_mail():
    """The emails sent so far, once those still going out in the background have gone."""
    for thread in threading.enumerate():
        if thread.name == "password-reset-email":
            thread.join()
    return mail.outbox


@pytest.fixture(autouse=True)
def fresh_catalog_snapshot():
    """Each test builds its own catalog: no process copy from another test's database."""
    snapshot.forget()
    yield
    snapshot.forget()


@pytest.fixture
def frozen():
    """Time stands still at NOW."""
    import time_machine

    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def catalog(db):
    """The real catalog from fixtures/catalog.json."""
    catalog_file.load(catalog_file.read())


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(
        email="alice@example.com",
        password=PASSWORD,
        display_name="Alice",
        time_zone="Europe/Berlin",
    )


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user(email="bob@example.com", password=PASSWORD)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(email="sam@example.com", password=PASSWORD)


@pytest.fixture
def vapid(settings):
    """Push reminders on, with a fresh VAPID key pair (from `manage.py vapid_keys`); the
    public key."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("vapid_keys", stdout=out)
    keys = dict(line.split("=", 1) for line in out.getvalue().split())
    settings.VAPID_PUBLIC_KEY = keys["VAPID_PUBLIC_KEY"]
    settings.VAPID_PRIVATE_KEY = keys["VAPID_PRIVATE_KEY"]
    settings.VAPID_SUBJECT = "mailto:team@hipapp.example"
    return keys["VAPID_PUBLIC_KEY"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def make_page(browser, live_server):
    """Open browser tabs (phone width by default); console errors fail the test."""
    contexts, errors = [], []

    def make(**options):
        options = {"viewport": {"width": 390, "height": 844}, "base_url": live_server.url} | options
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        tab = context.new_page()
        tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        return tab

    yield make
    for context in contexts:
        context.close()
    assert errors == [], f"console errors in the browser (CSP violations show here): {errors}"


@pytest.fixture
def page(make_page):
    return make_page()


# --- helpers shared by the test modules ---------------------------------------------------------


def sign_in(client_or_page, person, password=PASSWORD, ip="10.0.0.1", **headers):
    """Sign in through the sign-in form as a person (a user, or an email address): with
    Django's test client (from the address `ip`, with extra headers), or in a Playwright page
    as a person would, waiting for the page the form leads to."""
    email = getattr(person, "email", person)
    if hasattr(client_or_page, "goto"):
        page = client_or_page
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        return None
    return client_or_page.post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=ip, **headers
    )


def text(response):
    """The page's visible text: tags, scripts and styles stripped, white space folded."""
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def follow(user, slug, started, position=1):
    """The person follows the track from that stage, started on that day (as the pages do)."""
    from progress.models import FollowedTrack, StageChange

    stage = Stage.objects.get(track__slug=slug, position=position)
    followed = FollowedTrack.objects.create(
        user=user, track=stage.track, stage=stage, stage_started=started
    )
    StageChange.objects.create(
        followed=followed, to_stage=stage, kind="start", day=started, reason="Started."
    )
    return followed


def sessions(user, drill, days, pain=0, values=(10, 10, 10)):
    """Sessions of drill on each day, with sets of `values` reps or seconds; bulk, for speed."""
    from progress.models import SetEntry, TrainingSession

    made = TrainingSession.objects.bulk_create(
        TrainingSession(user=user, drill=drill, day=day, effort=5, pain=pain) for day in days
    )
    field = "seconds" if drill.is_timed else "reps"
    SetEntry.objects.bulk_create(
        SetEntry(session=session, position=n, **{field: value})
        for session in made
        for n, value in enumerate(values, start=1)
    )
    TrainingSession.objects.summarise(user)  # as logging does, for the drill charts
    return made


def daily(first, last):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def query_name(sql: str) -> str | None:
    """'select progress_trainingsession': what a query does and to which table first. None for
    the shared cache's own queries and for savepoints, so that query lists are the same on the
    database cache and on Redis."""
    if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
        return None
    outer = sql.lstrip("(")  # PostgreSQL's UNION puts each part in brackets
    while (inner := re.sub(r"\([^()]*\)", "", outer)) != outer:  # subqueries and lists out
        outer = inner
    found = re.search(r'\b(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', outer)
    table = found.group(1) if found else "?"
    if table == settings.CACHES["default"].get("LOCATION"):
        return None
    return f"{outer.split()[0].lower()} {table}"


def queries(client, url, method="get", data=None, status=200) -> list[str]:
    """The queries one request runs, named by query_name."""
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == status, (url, response.status_code)
    return [name for q in captured if (name := query_name(q["sql"])) is not None]
