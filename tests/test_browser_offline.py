"""The installable app with no signal, in Chromium: pages kept by the service worker, sessions
saved on the phone and sent exactly once, refusals shown, nothing left for the next person."""

import re
from datetime import datetime, time, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from progress.models import TrainingSession
from tests.conftest import CHROMIUM, follow, sign_in

pytestmark = pytest.mark.browser

READY = "kept on this phone for when there is no signal"


@pytest.fixture
def plan(catalog, alice):
    """Alice on psoas control (back flattening, 2 x 8 reps) and lumbopelvic control (toe tap)."""
    today = timezone.localdate(timezone=alice.zone)
    alice.read_red_flags(today)
    follow(alice, "psoas-control", today - timedelta(days=3))
    follow(alice, "lumbopelvic-control", today - timedelta(days=3))
    return today


def kept_for(page, user):
    """Sign in, and wait until the worker has kept the person's pages."""
    sign_in(page, user.email)
    expect(page.locator("#offline-ready")).to_contain_text(READY)


def status(page):
    return page.locator("#offline-status")


def sessions(user):
    return sorted(TrainingSession.objects.filter(user=user).values_list("drill__slug", "pain"))


def test_sessions_saved_offline_are_sent_once_when_back_online(page, plan, alice):
    kept_for(page, alice)
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Hello, Alice")).to_be_visible()

    # 1. The player: back flattening, both sets done, pain 2.
    page.get_by_role("link", name="Start today's session").click()
    page.get_by_role("button", name="Start the session").click()
    expect(page.locator("#player-heading")).to_have_text("Back flattening")
    page.get_by_role("button", name="Start this drill").click()
    page.get_by_role("button", name="Done").click()
    page.get_by_role("button", name="Skip rest").click()
    page.get_by_role("button", name="Done").click()
    page.locator('label[for="player-pain-2"]').click()
    page.get_by_role("button", name="Save and go on").click()
    expect(page.locator("#player-heading")).to_have_text("Toe tap")
    expect(status(page)).to_have_text(
        "Saved on this phone; it will be sent when you are back online. 1 session waiting."
    )
    page.goto("/today/session/")  # the copy kept from before: what waits is left out
    expect(page.locator(".player-drill:visible h2")).to_have_text(["2. Toe tap"])

    # 2. The log form, double-tapped.
    page.goto("/log/toe-tap/")
    page.get_by_label("Pain (0-10)").select_option("3")
    page.get_by_role("button", name="Save session").dblclick()
    expect(page).to_have_url(re.compile(r"/today/$"))
    expect(status(page)).to_contain_text("2 sessions waiting.")

    # 3. "Log as prescribed" on today's next-up card.
    page.get_by_role("button", name="Pain 4").click()
    expect(status(page)).to_contain_text("3 sessions waiting.")
    expect(page.locator("#offline-queue li")).to_have_count(3)
    assert sessions(alice) == []

    page.context.set_offline(False)
    expect(status(page)).to_have_text("Sent: 3 sessions saved on this phone are in your log now.")
    assert sessions(alice) == [("back-flattening", 2), ("back-flattening", 4), ("toe-tap", 3)]


def log_offline(page, drill, day, note=""):
    """Fill in the log form (kept on the phone) and save it with no signal."""
    page.goto(f"/log/{drill}/")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Pain (0-10)").select_option("1")
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save session").click()
    expect(page).to_have_url(re.compile(r"/today/$"))


def test_a_session_the_server_refuses_stays_until_fixed_or_discarded(page, plan, alice):
    kept_for(page, alice)
    page.context.set_offline(True)
    log_offline(page, "toe-tap", plan - timedelta(days=400), note="long ago")
    log_offline(page, "back-flattening", plan - timedelta(days=500), note="even longer ago")
    expect(status(page)).to_contain_text("2 sessions waiting.")

    page.context.set_offline(False)
    refused = page.get_by_role("region", name=re.compile(r": not saved$"))
    expect(refused).to_have_count(2)
    expect(page.locator("#offline-queue")).to_contain_text(
        "Not saved: 2 sessions the server refused"
    )
    toe_tap = page.get_by_role("region", name=re.compile(r"^Toe tap, "))
    expect(toe_tap).to_contain_text(
        "The server said: You can log sessions from the last year only."
    )
    assert sessions(alice) == []

    # Kept on the phone: still there on the next page, online or not, and never sent as it is.
    page.goto("/history/")
    expect(refused).to_have_count(2)
    page.context.set_offline(True)
    page.goto("/today/")
    expect(refused).to_have_count(2)
    page.context.set_offline(False)
    page.reload()
    expect(refused).to_have_count(2)
    assert sessions(alice) == []

    # Fixed: the date corrected, sent again, saved once.
    toe_tap.get_by_label("Date").fill(plan.isoformat())
    toe_tap.get_by_role("button", name="Send again").click()
    expect(status(page)).to_have_text("Sent: 1 session saved on this phone is in your log now.")
    expect(refused).to_have_count(1)
    assert sessions(alice) == [("toe-tap", 1)]
    saved = TrainingSession.objects.get(user=alice)
    assert (saved.day, saved.note) == (plan, "long ago")

    # Discarded: gone from the phone, never saved.
    page.get_by_role("region", name=re.compile(r"^Back flattening, ")).get_by_role(
        "button", name="Discard"
    ).click()
    expect(refused).to_have_count(0)
    page.reload()
    expect(page.locator("#offline-queue")).not_to_contain_text("Not saved")
    assert sessions(alice) == [("toe-tap", 1)]


def test_a_page_kept_from_yesterday_opened_offline_logs_today(page, plan, alice):
    kept_for(page, alice)
    page.context.set_offline(True)
    tomorrow = plan + timedelta(days=1)
    page.clock.install(time=datetime.combine(tomorrow, time(9, 0)))  # the phone's clock
    page.goto("/log/toe-tap/")
    expect(page.get_by_label("Date")).to_have_value(tomorrow.isoformat())
    page.goto("/today/session/")
    expect(page.locator("#player")).to_have_attribute("data-day", tomorrow.isoformat())
    page.context.set_offline(False)
    page.goto("/log/toe-tap/")  # from the server: its own day
    expect(page.get_by_label("Date")).to_have_value(plan.isoformat())


def everything_kept(page):
    """Every page and file in the browser's caches, and every record in its IndexedDB, as text."""
    return page.evaluate(
        """async () => {
            const texts = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) {
                    texts.push(request.url, await (await cache.match(request)).text());
                }
            }
            const names = (await indexedDB.databases()).map((db) => db.name);
            for (const name of names) {
                const db = await new Promise((resolve) => {
                    indexedDB.open(name).onsuccess = (event) => resolve(event.target.result);
                });
                for (const store of db.objectStoreNames) {
                    const all = db.transaction(store).objectStore(store).getAll();
                    texts.push(JSON.stringify(await new Promise((resolve) => {
                        all.onsuccess = () => resolve(all.result);
                    })));
                }
                db.close();
            }
            return texts.join("\\n");
        }"""
    )


@pytest.mark.parametrize("leaving", ["signs out", "is signed out elsewhere"])
def test_the_next_person_on_the_browser_finds_nothing_of_the_one_before(
    page, plan, alice, bob, leaving
):
    follow(bob, "hip-flexion-ladder", plan)
    kept_for(page, alice)
    page.context.set_offline(True)
    log_offline(page, "toe-tap", plan - timedelta(days=400), note="alice-secret-note")
    page.context.set_offline(False)
    expect(page.locator("#offline-queue")).to_contain_text("You can log sessions from the last")
    kept = everything_kept(page)
    for trace in ("Hello, Alice", "alice-secret-note", "<title>Log Toe tap"):
        assert trace in kept, trace

    if leaving == "signs out":
        # Something is still on the phone, so signing out asks first.
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Show menu").click()
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    else:  # the password changed on another device: this browser's session ends
        alice.set_password("changed elsewhere 123")
        alice.save()
        page.goto("/accounts/login/")

    kept_for(page, bob)
    expect(page.get_by_role("heading", name="Hello, bob")).to_be_visible()
    kept = everything_kept(page)
    assert "Hello, bob" in kept
    for trace in ("Alice", "alice-secret-note", "<title>Log Toe tap"):
        assert trace not in kept, trace

    page.context.set_offline(True)
    page.goto("/today/")
    expect(page.get_by_role("heading", name="Hello, bob")).to_be_visible()
    expect(page.locator("#offline-status")).to_have_text("")
    page.goto("/log/toe-tap/")  # Alice's drill, kept for her only
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()


def test_chromium_finds_the_app_installable(browser, live_server, db, tmp_path):
    """Chromium does not install from a private window, which Playwright's contexts are: this
    test has a browser profile of its own on disk."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path, executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
    )
    try:
        page = context.pages[0]
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(live_server.url + "/drills/")
        page.evaluate("navigator.serviceWorker.ready")
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert manifest["url"] == live_server.url + "/manifest.webmanifest"
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_offline_page_and_the_queue_notice_pass_axe(make_page, plan, alice, width):
    page = make_page(viewport={"width": width, "height": 844})
    kept_for(page, alice)
    page.context.set_offline(True)
    violations = []

    page.goto("/history/")  # never kept
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    violations += [("offline page", v) for v in Axe().run(page).response["violations"]]

    log_offline(page, "toe-tap", plan)
    log_offline(page, "back-flattening", plan - timedelta(days=400))
    expect(status(page)).to_contain_text("2 sessions waiting.")
    violations += [("sessions waiting", v) for v in Axe().run(page).response["violations"]]

    page.context.set_offline(False)
    expect(page.get_by_role("region", name=re.compile(r": not saved$"))).to_be_visible()
    expect(status(page)).to_contain_text("Sent: 1 session")
    violations += [("a session refused", v) for v in Axe().run(page).response["violations"]]
    assert violations == []
