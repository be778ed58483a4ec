"""A person's whole account life in headless Chromium, with the CSP watching every page."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def new_york_page(make_page):
    return make_page(timezone_id="America/New_York", accept_downloads=True)


def open_menu(page):
    """Open the phone menu and wait until it has finished opening (Bootstrap animates it)."""
    page.wait_for_load_state()  # Bootstrap's script, which opens the menu, has run
    toggle = page.get_by_role("button", name="Show menu")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))


def test_sign_up_out_in_change_time_zone_export_and_delete(new_york_page, catalog):
    page = new_york_page
    page.goto("/")
    page.get_by_role("link", name="Start your plan, free").click()
    page.get_by_label("Email").fill("dana@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(page.url.split("/today/")[0] + "/today/")
    expect(page.get_by_text("Your account is ready")).to_be_visible()
    dana = get_user_model().objects.get(email="dana@example.com")
    assert dana.time_zone == "America/New_York"  # from the browser

    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tight hip flexors")

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("dana@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, dana")

    open_menu(page)
    page.get_by_role("link", name="Account").click()
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_label("Display name").fill("Dana")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your settings are saved")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")

    page.get_by_role("link", name="Download everything you logged").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["time_zone"] == "Asia/Tokyo"
    assert download.value.suggested_filename.endswith(".json")

    page.goto("/account/")
    page.get_by_role("link", name="Delete your account").click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account and everything in it have been deleted")).to_be_visible()
    assert not get_user_model().objects.filter(email="dana@example.com").exists()


def test_the_admin_runs_under_the_csp_without_violations(page, catalog, staff):
    page.goto("/admin/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    for url in [
        "/admin/",
        "/admin/exercises/drill/",
        "/admin/exercises/drill/?kind__exact=control",
        "/admin/exercises/drill/add/",
        "/admin/exercises/track/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
    ]:
        page.goto(url)
        expect(page.locator("#content")).to_be_visible()
    page.goto("/admin/exercises/track/")
    page.get_by_role("link", name="Hip flexion ladder").click()
    rows = page.locator("input[name$='-position']")
    expect(rows.first).to_have_value("1")
    before = rows.count()
    page.get_by_role("button", name="Add another Stage").click()  # the admin's own script
    expect(rows).to_have_count(before + 1)
