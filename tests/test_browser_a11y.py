"""Every page a person can reach passes axe-core with no violations, at phone and desktop widths.

One browser context per width: the pages a visitor sees, then one sign-in as a staff member who
also trains, then every signed-in page and the staff admin. Violations are collected page by page
and reported together, so one run names every page that needs work.
"""

import re
import uuid
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from exercises.models import Drill, Track
from progress.models import FollowedTrack, SelfTest, TrainingSession
from progress.views import local_today
from reminders.messages import stop_token
from reminders.models import PushSubscription
from tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.browser

WIDTHS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 800},
}


def log_session(user, drill, day, pain=1):
    sets = TrainingSession.prescribed_sets(drill)
    session, _ = TrainingSession.objects.record(
        user, drill, token=uuid.uuid4(), day=day, effort=5, pain=pain, sets=sets
    )
    return session


def start_track(user, track, day, reason):
    return FollowedTrack.objects.start(user, track, day, reason)


def build_training(user):
    """Three tracks in three states: ready to move up, stepping back for pain, and paused."""
    today = local_today(user)
    start = today - timedelta(days=21)
    control = start_track(user, Track.objects.get(slug="psoas-control"), start, "Started.")
    for week in range(3):
        for offset in (0, 2, 4):
            log_session(user, control.stage.drill, start + timedelta(days=7 * week + offset))
    ladder = start_track(user, Track.objects.get(slug="hip-flexion-ladder"), start, "Started.")
    log_session(user, ladder.stage.drill, today - timedelta(days=1), pain=7)
    lumbopelvic = start_track(
        user, Track.objects.get(slug="lumbopelvic-control"), today, "Started."
    )
    lumbopelvic.state = FollowedTrack.State.PAUSED
    lumbopelvic.save()
    return log_session(user, Drill.objects.get(slug="toe-tap"), today)


def check(page, name, violations):
    """Open every disclosure so its content is checked too, then run axe on the page."""
    page.locator("details").evaluate_all("all => all.forEach(details => { details.open = true })")
    for violation in Axe().run(page).response["violations"]:
        violations.append((name, violation))


def report(width, violations):
    lines = [f"{len(violations)} axe violation(s) at {width} width:"]
    for name, violation in violations:
        lines.append(f"- {name}: {violation['id']} ({violation['impact']}): {violation['help']}")
        failures = {}
        for node in violation["nodes"]:
            failure = " ".join(node["failureSummary"].split())
            failures.setdefault(failure, []).append(" ".join(map(str, node["target"])))
        for failure, targets in failures.items():
            lines.append(f"    on {', '.join(targets)}")
            lines.append(f"      {failure}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_passes_axe(browser, live_server, make_page, catalog, staff, vapid, width):
    violations = []
    # Push reminders offered (the account page's device list and button), with one device.
    PushSubscription.objects.create(
        user=staff, endpoint="https://push.example.net/1", p256dh="k", auth="a", device="Firefox"
    )
    drill = Drill.objects.get(slug="back-flattening")
    track = Track.objects.get(slug="hip-flexion-ladder")
    token = default_token_generator.make_token(staff)
    uid = urlsafe_base64_encode(force_bytes(staff.pk))

    # Pages that answer with an error status, which Chromium reports on the console: their own
    # tab, where that one message is expected and any other console error still fails the test.
    context = browser.new_context(viewport=WIDTHS[width], base_url=live_server.url)
    errors = []
    tab = context.new_page()
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        assert tab.goto("/no-such-page/").status == 404
        check(tab, "page not found", violations)
        assert tab.goto("/reminders/stop/forged-link/").status == 404
        check(tab, "stop link not valid", violations)
        for _ in range(5):  # the fifth wrong password locks this email from this address
            sign_in(tab, "nobody@example.com", "not the password")
        expect(tab.get_by_role("heading", name="Too many sign-in attempts")).to_be_visible()
        check(tab, "sign-in locked out", violations)
    finally:
        context.close()
    status_errors = {
        f"Failed to load resource: the server responded with a status of {status}"
        for status in ("404 (Not Found)", "429 (Too Many Requests)")
    }
    assert set(errors) <= status_errors, errors

    page = make_page(viewport=WIDTHS[width])

    def visit(name, url):
        response = page.goto(url)
        assert response.ok, f"{name} ({url}) answered {response.status}"
        check(page, name, violations)

    # A visitor.
    visit("home", "/")
    visit("drill catalog", "/drills/")
    visit("drill page", drill.get_absolute_url())
    visit("when to stop", "/red-flags/")
    visit("sign-in", "/accounts/login/")
    visit("sign-up", "/accounts/signup/")
    visit("password reset", "/accounts/password/reset/")
    visit("password reset sent", "/accounts/password/reset/sent/")
    visit("choose a new password", f"/accounts/password/reset/{uid}/{token}/")
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    visit("password reset done", "/accounts/password/reset/done/")
    sign_in(page, staff.email, "not the password")
    expect(page.get_by_text("That email and password do not match")).to_be_visible()
    check(page, "sign-in with an error", violations)

    # Signed in, nothing followed yet: the welcome page.
    sign_in(page, staff.email, PASSWORD)
    expect(page.get_by_role("group", name="Your starting tracks")).to_be_visible()
    check(page, "today, onboarding", violations)

    # Weeks of training later.
    session = build_training(staff)
    visit("today", "/today/")
    morning = page.get_by_role("region", name="How does it feel this morning?")
    morning.get_by_role("button", name="Pain 7").click()  # the check-in, answered
    expect(page.get_by_role("heading", name="Pain of 7/10 this morning")).to_be_visible()
    check(page, "today, pain of 7 this morning", violations)
    visit("when to stop, signed in", "/red-flags/")
    visit("today's session", "/today/session/")
    page.get_by_role("button", name="Start the session").click()
    check(page, "session player, a drill", violations)
    page.get_by_role("button", name="Start this drill").click()
    check(page, "session player, reps", violations)
    page.get_by_role("button", name="Done").click()
    page.get_by_role("button", name="Skip rest").click()
    page.get_by_role("button", name="Done").click()
    page.get_by_role("button", name="Save and go on").click()
    expect(page.get_by_text("Choose your pain during this drill")).to_be_visible()
    check(page, "session player, pain not chosen", violations)
    menu = page.get_by_role("button", name="Show menu")
    if menu.is_visible():  # the phone's menu, opened
        menu.click()
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
        check(page, "today, menu open", violations)
    visit("home, signed in", "/")
    visit("drill catalog, signed in", "/drills/")
    visit("drill page, signed in", drill.get_absolute_url())
    visit("log form", f"/log/{drill.slug}/")
    page.get_by_label("Date").fill("")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    check(page, "log form with an error", violations)
    visit("edit form", f"/sessions/{session.pk}/edit/")
    visit("history", "/history/")
    visit("sessions", "/sessions/")
    visit("drill history", f"/history/{drill.slug}/")
    visit("drill history, one-sided", "/history/band-hurdle-hold/")
    test = SelfTest.objects.create(user=staff, day=local_today(staff), knee_left=20, knee_right=30)
    visit("self-tests", "/self-tests/")
    visit("self-test form", "/self-tests/new/")
    page.get_by_role("button", name="Time the left side").click()  # the hold timer, shown
    check(page, "self-test form, timing a hold", violations)
    visit("self-test edit", f"/self-tests/{test.pk}/edit/")
    visit("share links", "/account/sharing/")
    page.get_by_role("button", name="Make the link").click()
    share_url = page.get_by_label("The link").input_value()
    check(page, "share links, a new link shown", violations)
    visit("shared summary", share_url)
    visit("account settings", "/account/")
    expect(page.get_by_role("button", name="Remind me on this device")).to_be_visible()
    page.get_by_role("button", name="Make a calendar link").click()
    expect(page.get_by_role("link", name="Subscribe in your calendar app")).to_be_visible()
    check(page, "account settings, calendar link shown", violations)
    for day in ("Monday", "Wednesday", "Friday"):
        page.get_by_label(day).uncheck()
    page.get_by_label("Reminder time").fill("")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Choose at least one training day.")).to_be_visible()
    check(page, "account settings with errors", violations)
    visit("stop reminder emails", f"/reminders/stop/{stop_token(staff)}/")
    page.get_by_role("button", name="Stop reminder emails").click()
    expect(page.get_by_role("heading", name="Reminder emails stopped")).to_be_visible()
    check(page, "reminder emails stopped", violations)
    visit("export", "/account/export/")
    visit("delete account", "/account/delete/")
    visit("password change", "/accounts/password/change/")
    visit("password changed", "/accounts/password/change/done/")

    # The staff admin.
    visit("admin index", "/admin/")
    visit("admin drill list", "/admin/exercises/drill/")
    visit("admin drill change", f"/admin/exercises/drill/{drill.pk}/change/")
    visit("admin track list", "/admin/exercises/track/")
    visit("admin track change", f"/admin/exercises/track/{track.pk}/change/")
    visit("admin user list", "/admin/accounts/user/")
    visit("admin user change", f"/admin/accounts/user/{staff.pk}/change/")

    if violations:
        pytest.fail(report(width, violations), pytrace=False)
