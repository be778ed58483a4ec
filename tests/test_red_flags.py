"""When to stop and see someone: its page, the box ticked before the first plan, the links."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from exercises.models import Drill
from progress.models import FollowedTrack
from tests.conftest import text

NOW = datetime(2026, 3, 18, 0, 30, tzinfo=ZoneInfo("Europe/Berlin"))  # still the 17th in UTC
RED_FLAGS = [
    "Numbness, tingling or pins and needles",
    "Pain that travels down your leg",
    "Pain at night that wakes you up",
    "Swelling, warmth or redness around the hip, or a fever",
    "A hip that clicks and locks, catches, or gives way",
    "Pain that began after a fall",
    "Any change in how your bladder or bowels work",
]
START = {"tracks": ["psoas-control"], "red_flags": "on"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_page_lists_every_red_flag_for_anyone(client, catalog):
    response = client.get("/red-flags/")
    assert response.status_code == 200
    page = text(response)
    for flag in RED_FLAGS:
        assert flag in page
    assert "Confirm" not in page  # a visitor has nothing to tick


def test_every_drill_page_links_to_it(client, catalog):
    for slug in Drill.objects.values_list("slug", flat=True):
        assert 'href="/red-flags/">When to stop and see someone<' in (
            client.get(f"/drills/{slug}/").content.decode()
        ), slug


def test_the_welcome_page_shows_the_list_and_the_box(client, catalog, alice):
    client.force_login(alice)
    page = text(client.get("/today/"))
    assert "Before you start: when to stop and see someone" in page
    for flag in RED_FLAGS:
        assert flag in page
    assert "I have read when to stop and see someone" in page


def test_starting_without_the_box_ticked_says_so_and_starts_nothing(client, catalog, alice):
    client.force_login(alice)
    response = client.post("/start/", {"tracks": ["psoas-control"]}, follow=True)
    assert "Tick “I have read when to stop and see someone” first. Nothing was started." in text(
        response
    )
    assert not FollowedTrack.objects.exists()
    alice.refresh_from_db()
    assert alice.red_flags_read_on is None


def test_starting_with_the_box_ticked_keeps_the_day_it_was_read(client, catalog, alice):
    client.force_login(alice)
    client.post("/start/", START)
    alice.refresh_from_db()
    assert alice.red_flags_read_on == date(2026, 3, 18)  # Alice's own day, in Berlin
    assert FollowedTrack.objects.get().track.slug == "psoas-control"


def test_once_read_the_welcome_page_does_not_ask_again(client, catalog, alice):
    client.force_login(alice)
    client.post("/start/", START)
    client.post("/tracks/psoas-control/leave/")
    assert "I have read when to stop" not in text(client.get("/today/"))
    client.post("/start/", {"tracks": ["hip-flexion-ladder"]})
    assert FollowedTrack.objects.filter(track__slug="hip-flexion-ladder").exists()


def test_following_from_the_catalog_first_asks_to_read_it(client, catalog, alice):
    client.force_login(alice)
    response = client.post("/tracks/psoas-control/follow/", follow=True)
    assert response.redirect_chain == [("/red-flags/", 302)]
    assert "read when to stop and see someone, then tick the box" in text(response)
    assert not FollowedTrack.objects.exists()
    assert "Tick “I have read" in text(client.post("/red-flags/read/", follow=True))
    client.post("/red-flags/read/", {"red_flags": "on"})
    alice.refresh_from_db()
    assert alice.red_flags_read_on == date(2026, 3, 18)
    assert "You confirmed you read this on March 18, 2026" in text(client.get("/red-flags/"))
    client.post("/tracks/psoas-control/follow/")
    assert FollowedTrack.objects.get().track.slug == "psoas-control"
