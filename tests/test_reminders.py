"""Training-day reminders: when they are due, once each, by email, and the stop link."""

import asyncio
import email
import email.policy
import re
import socket
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail, signing
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import weekday_bits
from hipapp.settings import mailers
from progress.models import TrainingSession
from reminders.messages import stop_token
from reminders.models import Reminder
from reminders.sending import send_due
from tests.conftest import follow, query_name, text

ROOT = Path(__file__).resolve().parent.parent
EVERY_DAY = list(range(7))
# Wednesday 18 March 2026, 18:00 in Berlin (alice's time zone) is 17:00 UTC.
WEDNESDAY = date(2026, 3, 18)


def plan(user, by="email", at=time(18, 0), days=EVERY_DAY, zone=None):
    user.remind_by, user.remind_at, user.weekdays = by, at, weekday_bits(days)
    user.time_zone = zone or user.time_zone
    user.save()
    return user


def at(when: datetime):
    return time_machine.travel(when, tick=False)


def local(user, day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZoneInfo(user.time_zone))


def run() -> str:
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def log_session(user, drill_slug, day):
    from exercises.models import Drill

    drill = Drill.objects.get(slug=drill_slug)
    TrainingSession.objects.record(
        user, drill, token=uuid.uuid4(), day=day, effort=5, pain=0,
        sets=TrainingSession.prescribed_sets(drill),
    )  # fmt: skip


# --- When a reminder is due ----------------------------------------------------------------


def test_a_reminder_goes_out_once_the_time_has_passed_and_never_twice(alice):
    plan(alice)
    with at(local(alice, WEDNESDAY, time(17, 59))):
        assert "Reminders sent: 0" in run()
    with at(local(alice, WEDNESDAY, time(18, 0))):
        assert "Reminders sent: 1" in run()
        assert "Reminders sent: 0" in run()  # twice in a row: nothing the second time
    with at(local(alice, WEDNESDAY, time(23, 59))):
        assert "Reminders sent: 0" in run()
    assert [m.to for m in mail.outbox] == [[alice.email]]
    with at(local(alice, WEDNESDAY + timedelta(days=1), time(18, 5))):
        assert "Reminders sent: 1" in run()  # the next day is a new day
    assert len(mail.outbox) == 2


def test_no_reminder_on_a_rest_day_or_once_something_is_logged(catalog, alice, bob):
    plan(alice, days=[0, 4])  # Monday and Friday: Wednesday is a rest day
    plan(bob, zone="Europe/Berlin")
    log_session(bob, "toe-tap", WEDNESDAY)
    with at(local(alice, WEDNESDAY, time(20, 0))):
        assert "Reminders sent: 0" in run()
    assert mail.outbox == []


def test_people_who_chose_no_reminders_get_none(alice):
    plan(alice, by="none")
    with at(local(alice, WEDNESDAY, time(20, 0))):
        run()
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_push_only_without_push_keys_has_nowhere_to_go_and_is_not_retried(alice):
    plan(alice, by="push")
    with at(local(alice, WEDNESDAY, time(20, 0))):
        assert "nowhere to send: 1" in run()
        assert "nowhere to send: 0" in run()
    assert Reminder.objects.get().status == "nowhere"


@pytest.mark.parametrize(
    ("zone", "day", "clock", "sent_at_utc"),
    [
        # Clocks go forward at 01:00 GMT: 01:30 never happens; the reminder comes at 02:00 BST.
        ("Europe/London", date(2026, 3, 29), time(1, 30), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        # Clocks go back at 02:00 BST: 01:30 happens twice; the first one reminds.
        (
            "Europe/London",
            date(2026, 10, 25),
            time(1, 30),
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        ),
        ("America/New_York", date(2026, 3, 8), time(2, 30), datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        (
            "America/New_York",
            date(2026, 11, 1),
            time(1, 30),
            datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        ),
    ],
)
def test_daylight_saving_changes_neither_skip_nor_double_a_day(
    alice, zone, day, clock, sent_at_utc
):
    """send_reminders every 15 minutes from the day before the change to the day after."""
    plan(alice, at=clock, zone=zone)
    start = datetime.combine(day - timedelta(days=1), time(0, 0), tzinfo=ZoneInfo(zone))
    now = start.astimezone(UTC)
    while now < start.astimezone(UTC) + timedelta(days=3):
        with at(now):
            send_due()
        now += timedelta(minutes=15)
    sent = dict(Reminder.objects.values_list("day", "sent_at"))
    assert sorted(sent) == [day - timedelta(days=1), day, day + timedelta(days=1)]
    assert len(mail.outbox) == 3
    assert sent[day] == sent_at_utc


def test_a_new_time_zone_neither_skips_nor_doubles_a_day(alice):
    plan(alice, zone="Asia/Tokyo")
    # Reminded at 18:00 in Tokyo on Wednesday (09:00 UTC), then off to New York, where it is
    # still Wednesday morning: Wednesday is done, Thursday comes at 18:00 New York time.
    with at(datetime(2026, 3, 18, 9, 0, tzinfo=UTC)):
        send_due()
    plan(alice, zone="America/New_York")
    for hour in range(9, 24 + 23):
        with at(datetime(2026, 3, 18, 0, 0, tzinfo=UTC) + timedelta(hours=hour)):
            send_due()
    reminders = Reminder.objects.order_by("day").values_list("day", "sent_at")
    assert list(reminders) == [
        (date(2026, 3, 18), datetime(2026, 3, 18, 9, 0, tzinfo=UTC)),
        (date(2026, 3, 19), datetime(2026, 3, 19, 22, 0, tzinfo=UTC)),  # 18:00 EDT
    ]
    # Back east before Thursday's evening in New York: Friday in Tokyo is reminded at 18:00.
    plan(alice, zone="Asia/Tokyo")
    with at(datetime(2026, 3, 20, 8, 59, tzinfo=UTC)):
        send_due()
    with at(datetime(2026, 3, 20, 9, 0, tzinfo=UTC)):
        send_due()
    assert Reminder.objects.filter(day=date(2026, 3, 20)).count() == 1
    assert len(mail.outbox) == 3


# --- Failures ----------------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_mail_server_that_is_down_is_tried_again_a_bounded_number_of_times(settings, alice, bob):
    settings.HIPAPP_REMINDER_ATTEMPTS = 3
    down = mailers(f"smtp+plain://127.0.0.1:{closed_port()}")
    settings.MAILERS = down
    plan(bob, zone="Europe/Berlin", at=time(18, 0))
    plan(alice, at=time(18, 10))
    with at(local(alice, WEDNESDAY, time(18, 0))):
        assert "to try again: 1;" in run()  # bob's first try
    with at(local(alice, WEDNESDAY, time(18, 10))):
        assert "to try again: 2;" in run()  # bob's second, alice's first
    with at(local(alice, WEDNESDAY, time(18, 20))):
        assert "to try again: 1; given up: 1;" in run()  # bob's third and last
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with at(local(alice, WEDNESDAY, time(18, 30))):
        assert "Reminders sent: 1; to try again: 0; given up: 0" in run()  # the server is back
    with at(local(alice, WEDNESDAY, time(18, 40))):
        assert "Reminders sent: 0; to try again: 0; given up: 0" in run()
    assert [m.to for m in mail.outbox] == [[alice.email]]
    outcomes = dict(Reminder.objects.values_list("user__email", "status", named=False))
    assert outcomes == {alice.email: "sent", bob.email: "failed"}
    assert "Connection refused" in Reminder.objects.get(user=bob).error


# --- Cost ---------------------------------------------------------------------------------


def named_queries(func):
    with CaptureQueriesContext(connection) as captured:
        func()
    return [name for q in captured if (name := query_name(q["sql"])) is not None]


def test_the_queries_to_find_who_is_due_do_not_grow_with_the_people(
    catalog, django_user_model, alice
):
    people = [alice] + [
        django_user_model.objects.create_user(email=f"p{n}@example.com", time_zone="Europe/Berlin")
        for n in range(5)
    ]
    for person in people:
        plan(person)
        follow(person, "psoas-control", WEDNESDAY - timedelta(days=10))
    with at(local(alice, WEDNESDAY, time(18, 0))):
        found = named_queries(send_due)
    per_person = [
        "select reminders_reminder",  # claimed: locked, SKIP LOCKED on PostgreSQL
        "select progress_followedtrack",  # today's next drill: tracks, stages and drills
        "update reminders_reminder",  # marked sent
    ]
    # Who may be due: one query of people, with their last session and last reminder as
    # subqueries; their rows in one insert.
    who = "select accounts_user"
    assert found == [who, "insert reminders_reminder"] + per_person * 6
    with at(local(alice, WEDNESDAY, time(18, 5))):
        assert named_queries(send_due) == [who]


# --- Email over real SMTP -----------------------------------------------------------------------


class Inbox:
    """An SMTP server's handler that keeps what it is sent. With `overlap`, the first message
    waits (up to 30 s) until a second connection is sending too: proof that two senders ran
    at the same time."""

    def __init__(self, overlap=False):
        self.messages = []
        self.overlap = overlap
        self.overlapped = False
        self.sending = 0
        self.both = None

    async def handle_DATA(self, server, session, envelope):
        self.both = self.both or asyncio.Event()
        self.sending += 1
        if self.sending >= 2:
            self.both.set()
        if self.overlap and not self.overlapped:
            try:
                await asyncio.wait_for(self.both.wait(), timeout=30)
                self.overlapped = True
            except TimeoutError:
                pass
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.SMTP))
        self.sending -= 1
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=closed_port())
    controller.start()
    yield controller
    controller.stop()


def test_the_email_goes_over_smtp_with_both_parts_and_a_working_one_click_stop(
    settings, catalog, alice, smtp_server
):
    settings.MAILERS = mailers(f"smtp+plain://127.0.0.1:{smtp_server.port}")
    settings.SITE_URL = "https://hipapp.example.com"
    plan(alice, by="both")
    follow(alice, "psoas-control", WEDNESDAY - timedelta(days=3))
    with at(local(alice, WEDNESDAY, time(18, 0))):
        assert "Reminders sent: 1" in run()
    [message] = smtp_server.handler.messages
    assert message["To"] == alice.email
    assert message["Subject"] == "Training day: Back flattening"
    stop = re.fullmatch(
        r"<https://hipapp\.example\.com(/reminders/stop/\S+/)>", message["List-Unsubscribe"]
    )
    assert stop, message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (plain, html):
        assert "Back flattening" in part and "2 sets of 8 reps" in part
        assert "https://hipapp.example.com/today/" in part  # the player
        assert "https://hipapp.example.com/account/" in part  # the settings
        assert "https://hipapp.example.com" + stop[1] in part
    # The mail app's one-click POST, with no cookie and no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        stop[1], "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.remind_by == "push"  # email off, devices on


def test_the_stop_link_asks_first_then_stops_emails_and_a_forged_one_is_a_404(client, alice, bob):
    plan(alice)
    url = f"/reminders/stop/{stop_token(alice)}/"
    assert "Stop reminder emails?" in text(client.get(url))
    alice.refresh_from_db()
    assert alice.remind_by == "email"  # a link checker opening it changes nothing
    assert "Reminder emails stopped" in text(client.post(url))
    alice.refresh_from_db()
    assert alice.remind_by == "none"
    signature = stop_token(alice).split(":", 1)[1]
    forged = f"{signing.b64_encode(str(bob.pk).encode()).decode()}:{signature}"
    other_salt = signing.dumps(alice.pk)
    for token in (forged, other_salt, "nonsense", "1:abc:def"):
        bad = f"/reminders/stop/{token}/"
        response = client.post(bad)
        assert response.status_code == 404
        assert "This link is not valid" in text(response)
    with at(local(alice, WEDNESDAY, time(20, 0))):
        assert "Reminders sent: 0" in run()


# --- Two runners at once --------------------------------------------------------------------


def runner_env(database_file, smtp_port):
    import os

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "EMAIL_URL"}}
    env["EMAIL_URL"] = f"smtp+plain://127.0.0.1:{smtp_port}"
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        env["DJANGO_SQLITE_PATH"] = str(database_file)
    return env


@pytest.mark.django_db(transaction=True)
def test_two_runners_started_together_send_each_reminder_once(
    tmp_path, django_user_model, smtp_server
):
    """Two `send_reminders` processes at once, on this test's database. On PostgreSQL the
    first to send holds its reminder until the other is sending one too (SKIP LOCKED lets it
    pass the locked one): the work is split and nothing goes twice. SQLite's equivalent: its
    IMMEDIATE transactions run one at a time, so the second waits and finds them sent."""
    postgres = connection.vendor == "postgresql"
    smtp_server.handler.overlap = postgres
    people = [
        plan(django_user_model.objects.create_user(email=f"p{n}@example.com"), at=time(0, 0))
        for n in range(8)
    ]
    database_file = tmp_path / "db.sqlite3"
    if not postgres:  # the runners' copy of the in-memory test database
        with sqlite3.connect(database_file) as copy:
            connection.connection.backup(copy)
    env = runner_env(database_file, smtp_server.port)
    command = [sys.executable, "manage.py", "send_reminders"]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    runners = [subprocess.Popen(command, cwd=ROOT, env=env, **pipes) for _ in range(2)]
    outputs = [runner.communicate(timeout=90) for runner in runners]
    assert [runner.returncode for runner in runners] == [0, 0], outputs
    recipients = sorted(m["To"] for m in smtp_server.handler.messages)
    assert recipients == sorted(p.email for p in people)  # each once
    sent = [int(re.search(r"Reminders sent: (\d+)", out)[1]) for out, _ in outputs]
    assert sum(sent) == len(people)
    if postgres:
        assert smtp_server.handler.overlapped  # the two really sent at the same time
        assert min(sent) >= 1
        assert Reminder.objects.filter(status="sent").count() == len(people)
