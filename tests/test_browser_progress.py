"""From sign-up through three back-dated weeks to 'ready', then up to stage 2, in Chromium."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from progress.models import TrainingSession
from tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.browser


def test_three_weeks_of_logging_make_a_stage_ready_and_the_next_drill_follows(page, catalog):
    start = timezone.now() - timedelta(days=21)
    with time_machine.travel(start, tick=True):
        page.goto("/accounts/signup/")
        page.get_by_label("Email").fill("erin@example.com")
        page.locator("#id_password1").fill(PASSWORD)
        page.get_by_label("Password confirmation").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        page.get_by_label("Hip flexion ladder").uncheck()
        page.get_by_label("I have read when to stop and see someone").check()
        page.get_by_role("button", name="Start my plan").click()
        expect(page.get_by_test_id("status")).to_have_text("Building")

    sign_in(page, "erin@example.com")  # three weeks on, the old session has lapsed
    first_day = timezone.localdate(start)
    for week in range(3):
        for offset in (0, 2, 4):
            page.goto("/log/back-flattening/")
            page.get_by_label("Date").fill(
                (first_day + timedelta(days=7 * week + offset)).isoformat()
            )
            page.get_by_label("Pain (0-10)").select_option("1")
            page.get_by_role("button", name="Save session").click()
            expect(page.get_by_text("Logged Back flattening")).to_be_visible()

    page.goto("/today/")
    expect(page.get_by_test_id("status")).to_have_text("Ready")
    expect(page.get_by_test_id("reason")).to_contain_text("3")
    page.get_by_role("button", name="Move up to stage 2").click()

    expect(page.get_by_text("stage 2 is now Supine leg lift")).to_be_visible()
    card = page.get_by_role("region", name="Psoas control")
    expect(card).to_contain_text("Stage 2 of 4: Supine leg lift")
    expect(card.get_by_test_id("status")).to_have_text("Building")
    # Today's next drill is the new stage (or, on a planned rest day, the one offered).
    expect(page.locator("#next-title, #rest-title + p + p a").first).to_have_text("Supine leg lift")


def test_sets_can_be_added_and_removed_and_the_hold_timer_fills_a_set(page, catalog, alice):
    sign_in(page, alice.email)
    page.goto("/log/toe-tap/")
    sets = page.locator(".set-row:visible")
    expect(sets).to_have_count(1)
    page.get_by_role("button", name="Add a set").click()
    expect(sets).to_have_count(2)
    expect(page.locator("input[name='sets-1-seconds']")).to_have_value("30")
    sets.nth(1).get_by_role("button", name="Remove this set").click()
    expect(sets).to_have_count(1)

    page.clock.install()
    sets.nth(0).get_by_role("button", name="Start hold timer").click()
    page.clock.run_for(42_000)
    sets.nth(0).get_by_role("button", name="Stop").click()
    expect(page.locator("input[name='sets-0-seconds']")).to_have_value("42")
    expect(sets.nth(0)).to_contain_text("saved in this set")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Choose how much it hurt")).to_be_visible()  # pain is never assumed
    assert not TrainingSession.objects.exists()
    page.get_by_label("Pain (0-10)").select_option("0")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Logged Toe tap")).to_be_visible()
