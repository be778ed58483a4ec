"""The demo person's history in Chromium, at phone and desktop width, with no sideways scroll."""

import pytest
from playwright.sync_api import expect

from progress import demo
from progress.models import TrainingSession
from tests.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_person(catalog):
    return demo.seed_person("dana@example.com", demo.DEMO_PASSWORD, weeks=40, days_per_week=4)


def fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_demo_persons_history_reads_at_phone_and_desktop_width(make_page, demo_person, width):
    page = make_page(viewport={"width": width, "height": 800})
    sign_in(page, demo_person.email, demo.DEMO_PASSWORD)
    if width < 768:  # the menu is folded away on a phone
        page.get_by_role("button", name="Show menu").click()
    page.get_by_role("link", name="History").first.click()
    expect(page.get_by_role("heading", name="History", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Training days from")).to_have_count(2)
    expect(page.get_by_role("heading", name="Stages")).to_be_visible()
    page.get_by_text("Month by month").click()
    expect(page.locator(".month-list li").first).to_be_visible()
    assert fits_the_width(page)

    page.get_by_role("link", name="Every session you logged").click()
    expect(page.get_by_role("heading", name="Sessions", exact=True, level=1)).to_be_visible()
    newest = TrainingSession.objects.filter(user=demo_person).select_related("drill").first()
    expect(page.locator(".session-list li").first).to_contain_text(newest.drill.name)
    assert fits_the_width(page)
    page.get_by_role("link", name="Older").click()
    expect(page.get_by_text("Page 2 of")).to_be_visible()

    page.locator(".session-list a", has_text=newest.drill.name).first.click()
    expect(page.get_by_role("heading", name=newest.drill.name, level=1)).to_be_visible()
    chart = page.get_by_role("img", name="per session over the last 12 weeks")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] <= width
    page.get_by_text("The numbers", exact=True).click()
    expect(page.get_by_role("table").first).to_be_visible()
    expect(page.get_by_role("img", name="per week since")).to_be_visible()  # 40 weeks of data
    assert fits_the_width(page)


def test_filters_narrow_the_sessions_to_one_drill(page, demo_person):
    sign_in(page, demo_person.email, demo.DEMO_PASSWORD)
    page.goto("/sessions/")
    drill = TrainingSession.objects.filter(user=demo_person).select_related("drill").last().drill
    page.get_by_label("Drill").select_option(label=drill.name)
    page.get_by_role("button", name="Filter").click()
    names = page.locator(".session-list li a:not(.btn)").all_inner_texts()
    assert names and set(names) == {drill.name}
