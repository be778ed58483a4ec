"""The catalog in a real browser (headless Chromium): staff edit, visitors see it at once."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in_to_admin(page, user, password):
    page.goto("/admin/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Catalog and people")).to_be_visible()


def test_a_staff_edit_in_the_admin_shows_on_the_public_page(page, catalog, staff):
    sign_in_to_admin(page, staff, PASSWORD)
    page.goto("/admin/exercises/drill/")
    page.locator("#searchbar").fill("toe tap")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Toe tap", exact=True).click()

    page.get_by_label("Name:").fill("Slow toe tap")
    page.get_by_label("Seconds:", exact=True).fill("45")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto("/drills/toe-tap/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Slow toe tap")
    expect(page.get_by_test_id("dose")).to_have_text("1 set of 45 s")
    page.goto("/drills/")
    expect(page.get_by_role("link", name="Slow toe tap")).to_be_visible()


def test_a_staff_reorder_of_a_track_shows_on_the_catalog(page, catalog, staff):
    sign_in_to_admin(page, staff, PASSWORD)
    page.goto("/admin/exercises/track/")
    page.get_by_role("link", name="Lumbopelvic control").click()
    positions = page.locator("input[name$='-position']")
    positions.nth(0).fill("2")
    positions.nth(1).fill("1")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto("/drills/")
    ladder = page.locator("#track-lumbopelvic-control .stage-ladder > li")
    expect(ladder.nth(0)).to_contain_text("Psoas march")
    expect(ladder.nth(1)).to_contain_text("Toe tap")


def test_the_menu_opens_on_a_phone_and_leads_to_the_catalog(page, catalog):
    page.goto("/")
    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Drills")
    expect(nav_link).to_be_hidden()
    page.get_by_role("button", name="Show menu").click()
    nav_link.click()
    expect(page).to_have_title("Drill catalog · Hipapp")
    page.get_by_role("link", name="Band hurdle hold").click()
    expect(page.get_by_role("heading", name="Steps")).to_be_visible()
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
