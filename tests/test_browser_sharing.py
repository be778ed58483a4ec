"""The share link in Chromium: a physio opens it in a fresh browser at phone width, reads it
without sideways scrolling, prints it to one or two A4 pages; a revoked link is gone on the
next load. And the self-test's knee-raise hold timed on Playwright's clock."""

import re
from datetime import datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from progress import demo
from progress.models import SelfTest
from sharing.models import ShareLink
from tests.conftest import PASSWORD, follow, sign_in

pytestmark = pytest.mark.browser

A4_POINTS = (596, 843)  # an A4 page (210 x 297 mm) in PDF points, as Chromium rounds it up


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The page sizes of a PDF Chromium wrote: its page objects (never in object streams)."""
    boxes = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[([^\]]+)\]", pdf, flags=re.S)
    return [tuple(round(float(n)) for n in box.split()[2:4]) for box in boxes]


def fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def dana(catalog):
    """Half a year of training on every track, four days a week, a self-test every four weeks."""
    return demo.seed_person("dana@example.com", PASSWORD, weeks=26, days_per_week=4)


def test_a_physio_opens_the_link_on_a_phone_and_prints_it_to_one_or_two_a4_pages(
    browser, live_server, make_page, dana
):
    owner = make_page()
    sign_in(owner, dana.email)
    owner.goto("/account/")
    owner.get_by_role("link", name="Share links").click()
    owner.get_by_label("Who is it for?").fill("For my physio")
    owner.get_by_label("90 days").check()
    owner.get_by_label("Include my notes").check()
    owner.get_by_role("button", name="Make the link").click()
    url = owner.get_by_label("The link").input_value()
    assert re.fullmatch(r"http://[^/]+/shared/[\w-]{43}/", url) and url.startswith(live_server.url)

    # The physio: a fresh context (no cookie, no account), whose console is watched here, since
    # the revoked link's 404 at the end is reported there.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    errors = []
    try:
        physio = context.new_page()
        physio.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        physio.on("pageerror", lambda exc: errors.append(str(exc)))
        physio.add_init_script("window.print = () => { window.printed = true; };")
        read_and_print(physio, url, dana)

        # Dana sees it was opened, and revokes it: the physio's open page is gone on reload.
        owner.reload()
        expect(owner.get_by_test_id("last-opened")).to_contain_text("Last opened")
        owner.get_by_role("button", name="Revoke the link “For my physio”").click()
        expect(owner.get_by_text("No link is working now.")).to_be_visible()
        assert not ShareLink.objects.exists()
        assert physio.reload().status == 404
        expect(physio.get_by_role("heading", name="Hip training summary")).to_have_count(0)
    finally:
        context.close()
    assert errors == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]


def read_and_print(physio, url, person):
    response = physio.goto(url)
    assert response.status == 200
    assert response.headers["cache-control"] == "no-store"
    expect(physio.get_by_role("heading", name="Hip training summary", level=1)).to_be_visible()
    expect(physio.get_by_role("heading", name="Tracks and stages")).to_be_visible()
    expect(physio.get_by_role("img", name="per session over the last 12 weeks")).to_have_count(3)
    expect(physio.locator(".self-test-table tbody tr")).to_have_count(6)  # the latest six
    assert physio.locator("form").count() == 0
    assert person.email not in physio.content()
    assert fits_the_width(physio)
    violations = Axe().run(physio).response["violations"]
    assert violations == [], [(v["id"], v["help"]) for v in violations]

    physio.get_by_role("button", name="Print").click()
    assert physio.evaluate("window.printed") is True
    pdf = physio.pdf(format="A4", print_background=True)
    pages = pdf_pages(pdf)
    assert 1 <= len(pages) <= 2, f"{len(pages)} pages"
    assert all(size == A4_POINTS for size in pages), pages


def test_the_knee_raise_hold_is_timed_with_the_players_timer(make_page, catalog, alice):
    today = timezone.localdate(timezone=alice.zone)
    follow(alice, "psoas-control", today - timedelta(days=3))
    page = make_page()  # 390 px
    start = datetime(2026, 3, 18, 9, 0)
    page.clock.install(time=start)
    sign_in(page, alice.email)
    page.clock.pause_at(start + timedelta(minutes=10))
    page.goto("/today/")
    page.get_by_role("link", name="Take the self-test").click()
    expect(page.get_by_role("heading", name="Take the self-test", level=1)).to_be_visible()

    # The left side: a 3-2-1, then the knee held 23 s and stopped when it dropped.
    page.get_by_role("button", name="Time the left side").click()
    timer = page.get_by_role("timer")
    expect(timer).to_have_text("3")
    page.clock.run_for(3000)
    expect(page.locator("#hold-phase")).to_have_text("Hold the left knee above hip height")
    page.clock.run_for(23_000)
    expect(timer).to_have_text("23")
    page.get_by_role("button", name="Stop: the knee dropped").click()
    expect(page.get_by_label("Left knee raised (seconds)")).to_have_value("23")
    expect(page.locator("#hold-timer")).to_be_hidden()

    # The right side holds to the cap: the timer stops itself at 60.
    page.get_by_role("button", name="Time the right side").click()
    page.get_by_role("button", name="Start now").click()
    page.clock.run_for(61_000)
    expect(page.get_by_label("Right knee raised (seconds)")).to_have_value("60")

    page.get_by_label("Stage 2: Supine leg lift").check()
    page.get_by_label("How do your hips feel in everyday life?").select_option("6")
    page.get_by_role("button", name="Save the self-test").click()
    expect(page.get_by_text("Your self-test for")).to_be_visible()
    expect(
        page.get_by_text("your left side holds 62% less: start each set on the left")
    ).to_be_visible()
    test = SelfTest.objects.get(user=alice)
    assert (test.knee_left, test.knee_right, test.leg_lift, test.everyday) == (23, 60, 2, 6)
    assert fits_the_width(page)


def test_without_scripts_the_holds_are_typed_in(browser, live_server, catalog, alice):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}, base_url=live_server.url
    )
    try:
        page = context.new_page()
        sign_in(page, alice.email)
        page.goto("/self-tests/new/")
        assert page.get_by_role("button", name="Time the left side").count() == 0
        page.get_by_label("Left knee raised (seconds)").fill("31")
        page.get_by_label("Right knee raised (seconds)").fill("35")
        page.get_by_role("button", name="Save the self-test").click()
        expect(page.get_by_text("Your self-test for")).to_be_visible()
        assert SelfTest.objects.get(user=alice).knee_right == 35
    finally:
        context.close()
