"""The calendar feed: plan days for eight weeks, the days next stages can open, stable UIDs,
a secret link that can be replaced, and nothing private in it."""

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from accounts.models import weekday_bits
from exercises import snapshot
from exercises.models import Drill
from progress.models import TrainingSession
from reminders.models import CalendarFeed
from tests.conftest import follow, queries, text

# Wednesday 18 March 2026, noon in Berlin (alice's time zone).
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def feed_path(client) -> str:
    """Make a calendar link on the account page; the path it shows, once."""
    assert client.post("/account/calendar/")["Location"] == "/account/"
    page = client.get("/account/").content.decode()
    url = re.search(r'value="http://127\.0\.0\.1:8000(/calendar/[\w-]+\.ics)"', page)[1]
    assert f'href="webcal://127.0.0.1:8000{url}"' in page
    return url


def events(response):
    calendar = Calendar.from_ical(response.content)
    return [c for c in calendar.walk("VEVENT")]


def log_session(user, slug, day, pain=0, note=""):
    drill = Drill.objects.get(slug=slug)
    TrainingSession.objects.record(
        user, drill, token=uuid.uuid4(), day=day, effort=5, pain=pain, note=note,
        sets=TrainingSession.prescribed_sets(drill),
    )  # fmt: skip


@pytest.fixture
def trained(catalog, alice):
    alice.weekdays = weekday_bits([0, 2, 4])  # Monday, Wednesday, Friday
    alice.remind_at = time(18, 30)
    alice.save()
    follow(alice, "psoas-control", date(2026, 3, 9))
    log_session(alice, "back-flattening", date(2026, 3, 9), pain=2, note="alice-private-note")
    return alice


def test_the_feed_has_eight_weeks_of_plan_days_at_the_reminder_time(client, trained):
    client.force_login(trained)
    response = Client().get(feed_path(client))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    training = [e for e in events(response) if e["summary"] == "Hip training"]
    days = [e.decoded("dtstart").date() for e in training]
    assert days[0] == date(2026, 3, 18) and days[-1] == date(2026, 5, 11)  # 8 weeks: 24 days
    assert len(days) == 24 and {d.weekday() for d in days} == {0, 2, 4}
    first, after_dst = training[0], training[5]  # Berlin moves to summer time on 29 March
    assert first.decoded("dtstart") == datetime(2026, 3, 18, 17, 30, tzinfo=UTC)
    assert after_dst.decoded("dtstart") == datetime(2026, 3, 30, 16, 30, tzinfo=UTC)
    assert first.decoded("dtend") - first.decoded("dtstart") == timedelta(minutes=20)
    description = first["description"]
    assert "Back flattening: 2 sets of 8 reps" in description
    assert "http://127.0.0.1:8000/today/" in description


def test_the_feed_shows_the_earliest_day_the_next_stage_can_open(client, trained):
    client.force_login(trained)
    [stage] = [e for e in events(Client().get(feed_path(client))) if "can open" in e["summary"]]
    assert stage["summary"] == "Psoas control: stage 2 can open"
    # Three counted weeks from 9 March, three training days each: 23 March at the earliest.
    today_page = text(client.get("/today/"))
    opens = stage.decoded("dtstart")
    assert f"{opens:%A, %B} {opens.day}" in today_page


def test_uids_stay_the_same_across_downloads_and_a_replaced_secret(client, trained, frozen):
    client.force_login(trained)
    old = feed_path(client)
    first = {e["uid"]: e.decoded("dtstart") for e in events(Client().get(old))}
    frozen.shift(timedelta(hours=3))
    again = {e["uid"]: e.decoded("dtstart") for e in events(Client().get(old))}
    assert again == first
    new = feed_path(client)  # replaced: the old link is gone
    assert Client().get(old).status_code == 404
    replaced = {e["uid"]: e.decoded("dtstart") for e in events(Client().get(new))}
    assert replaced == first
    assert text(client.get("/account/")).count("Your calendar link has been on since") == 1


def test_the_feed_carries_no_pain_notes_or_email(client, trained):
    client.force_login(trained)
    feed = Client().get(feed_path(client)).content.decode()
    for private in (trained.email, "alice-private-note", "Alice", "pain", "Pain"):
        assert private not in feed


def test_a_made_up_or_switched_off_secret_is_a_404(client, trained):
    assert Client().get("/calendar/made-up-secret.ics").status_code == 404
    assert Client().get("/calendar/.ics").status_code == 404
    client.force_login(trained)
    url = feed_path(client)
    assert client.post("/account/calendar/stop/")["Location"] == "/account/"
    assert Client().get(url).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_only_the_hash_of_the_secret_is_stored(client, trained):
    client.force_login(trained)
    secret = feed_path(client).removeprefix("/calendar/").removesuffix(".ics")
    assert len(secret) >= 43  # 32 random bytes
    stored = CalendarFeed.objects.get().secret_hash
    assert secret not in stored and len(stored) == 64


def test_the_feed_runs_a_fixed_number_of_queries(client, trained):
    client.force_login(trained)
    url = feed_path(client)
    snapshot.catalog()  # the process's copy of the catalog, built once per revision
    expected = [
        "select reminders_calendarfeed",  # the feed and its person, by the secret's hash
        "select progress_followedtrack",  # progression.track_cards: the followed tracks,
        "select progress_trainingsession",  # the sessions the rule reads,
        "select progress_checkin",  # the mornings it reads,
        "select progress_setentry",  # and the sets of the latest two
    ]
    assert queries(Client(), url) == expected
    for n in range(1, 9):
        log_session(trained, "back-flattening", date(2026, 3, 9) + timedelta(days=n))
    assert queries(Client(), url) == expected
