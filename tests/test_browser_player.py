"""The session player in Chromium at phone width, with Playwright's clock: never real waiting."""

import uuid
from datetime import datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from exercises.models import Drill
from progress.models import FollowedTrack, TrainingSession
from tests.conftest import follow, sign_in

pytestmark = pytest.mark.browser

START = datetime(2026, 3, 18, 9, 0)  # the browser's clock; the server keeps its own

# Recorded in the page: tones, buzzes, the screen wake lock, and each live-region message with
# the (fake) time it was made.
SPIES = """
window.spied = { signals: [], wake: [], live: [] };
navigator.vibrate = (pattern) => { spied.signals.push(["buzz", pattern]); return true; };
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  spied.signals.push(["tone", this.frequency.value]);
  return start.apply(this, args);
};
Object.defineProperty(navigator, "wakeLock", { value: { request: async (type) => {
  spied.wake.push(type);
  return { release: async () => { spied.wake.push("released"); } };
} } });
document.addEventListener("DOMContentLoaded", () => {
  const live = document.getElementById("player-live");
  if (live) new MutationObserver(() => {
    spied.live.push([performance.now(), live.textContent]);
  }).observe(live, { childList: true, characterData: true, subtree: true });
});
"""


def start_with_a_paused_clock(page, user):
    """Sign in, then stop the browser's time: from here only run_for moves it."""
    page.add_init_script(SPIES)
    page.clock.install(time=START)
    sign_in(page, user)
    page.clock.pause_at(START + timedelta(minutes=10))


def axe_check(page, name, violations):
    """axe-core waits on timers, which the paused clock holds: advance it a millisecond at a
    time while axe runs (a few dozen at most, far from any whole second the player shows)."""
    page.evaluate(Axe().axe_script)
    page.evaluate(
        "() => { window.axeFound = null; axe.run(document, {resultTypes: ['violations']})"
        ".then((results) => { window.axeFound = results.violations; }); }"
    )
    for _ in range(500):
        found = page.evaluate("window.axeFound")
        if found is not None:
            violations += [
                (name, v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in found
            ]
            return
        page.clock.run_for(1)
    pytest.fail(f"axe did not finish on {name}")


def choose(page, name, value):
    """Tap a 0-10 answer: its label, as a finger would."""
    page.locator(f'label[for="player-{name}-{value}"]').click()


def heading(page):
    return page.locator("#player-heading")


def digits(page):
    return page.get_by_role("timer")


def saved(user):
    """The sessions as the log form saves them: drill, day, effort, pain, note, and the sets."""
    return [
        (
            s.drill.slug,
            s.day,
            s.effort,
            s.pain,
            s.note,
            [(e.position, e.reps, e.seconds, e.side, e.load) for e in s.sets.all()],
        )  # fmt: skip
        for s in TrainingSession.objects.filter(user=user).order_by("created_at")
    ]


def log_form(session):
    """What a person types into the log form for the same session."""
    drill, day, effort, pain, note, sets = session
    data = {
        "sets-TOTAL_FORMS": str(len(sets)),
        "sets-INITIAL_FORMS": "0",
        "day": day.isoformat(),
        "effort": str(effort),
        "pain": str(pain),
        "note": note,
        "token": str(uuid.uuid4()),
    }
    for n, (_, reps, seconds, side, load) in enumerate(sets):
        data |= {f"sets-{n}-side": side, f"sets-{n}-load": load}
        data |= {f"sets-{n}-reps": reps} if reps is not None else {f"sets-{n}-seconds": seconds}
    return drill, data


@pytest.fixture
def plan(catalog, alice):
    """Alice on a two-sided 10 s hold (side plank, 2 sets, 30 s rest) and a two-sided reps
    drill (psoas march, 2 sets of 8, 45 s rest)."""
    today = timezone.localdate(timezone=alice.zone)
    alice.read_red_flags(today)
    follow(alice, "hip-flexion-ladder", today - timedelta(days=3), position=2)
    follow(alice, "lumbopelvic-control", today - timedelta(days=3), position=2)
    Drill.objects.filter(slug="side-plank-hip-flexion").update(sets=2, seconds=10, rest_seconds=30)
    Drill.objects.filter(slug="psoas-march").update(sets=2)
    return today


def test_a_whole_session_saves_what_the_log_form_would(make_page, plan, alice, bob):
    page = make_page()  # 390 px wide
    violations = []
    start_with_a_paused_clock(page, alice)
    page.goto("/today/")
    page.get_by_role("link", name="Start today's session").click()
    expect(page.locator(".player-drill h2")).to_have_text(
        ["1. Side plank with hip flexion", "2. Psoas march"]
    )
    axe_check(page, "player, today's drills", violations)

    page.get_by_role("button", name="Start the session").click()
    expect(heading(page)).to_have_text("Side plank with hip flexion")
    expect(page.locator("#player-stage")).to_contain_text("Push the floor away with your forearm.")
    expect(page.locator("#player-stage")).to_contain_text("Starting point: 2 sets of 10 s a side")
    expect(page.get_by_role("link", name="How to do it")).to_have_attribute(
        "href", "/drills/side-plank-hip-flexion/"
    )
    expect(page.get_by_role("link", name="When to stop and see someone")).to_be_visible()
    axe_check(page, "player, a drill", violations)

    # Set 1: get ready, hold the left side, switch, hold the right side, rest.
    page.get_by_role("button", name="Start this drill").click()
    expect(heading(page)).to_have_text("Get ready")
    expect(digits(page)).to_have_text("3")
    expect(page.locator("#player-stage")).to_contain_text("Set 1 of 2, left side starts in")
    axe_check(page, "player, get ready", violations)
    page.clock.run_for(1000)
    expect(digits(page)).to_have_text("2")
    page.clock.run_for(2000)
    expect(heading(page)).to_have_text("Hold")
    expect(digits(page)).to_have_text("10")
    axe_check(page, "player, hold", violations)
    page.clock.run_for(4000)
    expect(digits(page)).to_have_text("6")
    page.clock.run_for(6000)
    expect(heading(page)).to_have_text("Switch sides")
    expect(page.locator("#player-stage")).to_contain_text("Set 1 of 2, right side starts in")
    axe_check(page, "player, switch sides", violations)
    page.clock.run_for(3000 + 10_000)
    expect(heading(page)).to_have_text("Rest")
    expect(digits(page)).to_have_text("30")
    expect(page.locator("#player-stage")).to_contain_text("Next: Set 2 of 2, left side")
    axe_check(page, "player, rest", violations)
    page.clock.run_for(30_000)

    # Set 2: the tab is hidden for four seconds of the left hold (time is read, not counted),
    # and the right side is stopped early at 7 s.
    expect(heading(page)).to_have_text("Get ready")
    page.clock.run_for(3000)
    expect(heading(page)).to_have_text("Hold")
    page.clock.fast_forward(4000)
    expect(digits(page)).to_have_text("6")
    page.clock.run_for(6000 + 3000 + 7000)
    expect(page.locator("#player-stage")).to_contain_text("Set 2 of 2, right side")
    expect(digits(page)).to_have_text("3")
    page.get_by_role("button", name="Stop").click()

    # Pain must be chosen; effort starts at 5 as on the log form.
    expect(heading(page)).to_have_text("How was it?")
    expect(page.locator("#player-stage")).to_contain_text(
        "You did 10 s (left), 10 s (right), 10 s (left), 7 s (right)."
    )
    axe_check(page, "player, how was it", violations)
    page.get_by_role("button", name="Save and go on").click()
    expect(page.get_by_role("alert").first).to_have_text(
        "Choose your pain during this drill, from 0 to 10, to save it."
    )
    axe_check(page, "player, pain not chosen", violations)
    assert not TrainingSession.objects.exists()
    choose(page, "pain", 2)
    choose(page, "effort", 6)
    page.get_by_role("button", name="Save and go on").click()

    # The reps drill, saved the moment its pain is answered.
    expect(heading(page)).to_have_text("Psoas march")
    assert len(saved(alice)) == 1
    page.get_by_role("button", name="Start this drill").click()
    expect(heading(page)).to_have_text("Set 1 of 2, left side")
    reps = page.get_by_label("Reps done")
    expect(reps).to_have_value("8")
    page.get_by_role("button", name="One rep more").click()
    expect(reps).to_have_value("9")
    axe_check(page, "player, reps", violations)
    page.get_by_role("button", name="Done").click()
    expect(heading(page)).to_have_text("Switch sides: Set 1 of 2, right side")
    expect(reps).to_have_value("8")
    page.get_by_role("button", name="One rep fewer").click()
    page.get_by_role("button", name="Done").click()
    expect(heading(page)).to_have_text("Rest")
    expect(digits(page)).to_have_text("45")
    page.get_by_role("button", name="Skip rest").click()
    expect(heading(page)).to_have_text("Set 2 of 2, left side")
    page.get_by_role("button", name="Done").click()
    page.get_by_role("button", name="Done").click()
    choose(page, "pain", 1)
    page.get_by_role("button", name="Save and go on").click()
    expect(heading(page)).to_have_text("Session done")
    expect(page.locator("#player-stage")).to_contain_text("2 drills saved today.")
    axe_check(page, "player, session done", violations)

    today = plan
    sessions = saved(alice)
    assert sessions == [
        (
            "side-plank-hip-flexion", today, 6, 2, "",
            [(1, None, 10, "left", ""), (2, None, 10, "right", ""),
             (3, None, 10, "left", ""), (4, None, 7, "right", "")],
        ),
        (
            "psoas-march", today, 5, 1, "",
            [(1, 9, None, "left", ""), (2, 7, None, "right", ""),
             (3, 8, None, "left", ""), (4, 8, None, "right", "")],
        ),
    ]  # fmt: skip
    # The same values typed into the log form save the very same rows.
    form = Client()
    form.force_login(bob)
    for session in sessions:
        drill, data = log_form(session)
        assert form.post(f"/log/{drill}/", data).status_code == 302
    assert saved(bob) == sessions

    spied = page.evaluate("window.spied")
    holds = [["tone", 880], ["buzz", 150], ["tone", 660], ["buzz", [150, 80, 150]]]
    assert sorted(map(str, spied["signals"])) == sorted(map(str, holds * 4))
    assert spied["wake"] == ["screen", "released"]
    times = [at for at, _ in spied["live"]]
    assert len(times) > 20
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 1000
    if violations:
        pytest.fail(f"axe violations on the player: {violations}", pytrace=False)


def tab_to(page, name):
    """Press Tab until the element named `name` has the focus."""
    for _ in range(40):
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.labels?.[0]?.innerText || e.innerText || e.value || '').trim(); }"
        )
        if focused == name:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {name!r}")


def test_the_whole_player_runs_from_the_keyboard(make_page, catalog, alice):
    today = timezone.localdate(timezone=alice.zone)
    alice.read_red_flags(today)
    follow(alice, "psoas-control", today - timedelta(days=3))  # back flattening: 2 x 8 reps
    follow(alice, "lumbopelvic-control", today - timedelta(days=3))  # toe tap: 1 x 30 s
    page = make_page()
    start_with_a_paused_clock(page, alice)
    page.goto("/today/session/")
    tab_to(page, "Start the session")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Back flattening")
    expect(heading(page)).to_be_focused()
    tab_to(page, "Start this drill")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Done")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Skip rest")).to_be_focused()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Set 2 of 2")
    page.keyboard.press("Shift+Tab")  # to "One rep more"
    page.keyboard.press("Space")
    expect(page.get_by_label("Reps done")).to_have_value("9")
    tab_to(page, "Done")
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("How was it?")
    expect(heading(page)).to_be_focused()
    page.keyboard.press("Tab")  # into the pain answers, none chosen
    page.keyboard.press("Enter")  # sending the form without one is refused
    expect(page.get_by_role("alert").first).to_contain_text("Choose your pain")
    page.keyboard.press("Space")  # 0
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Pain 3")).to_be_checked()
    page.keyboard.press("Tab")  # effort, at 5
    page.keyboard.press("ArrowRight")
    tab_to(page, "Save and go on")
    page.keyboard.press("Enter")

    expect(heading(page)).to_have_text("Toe tap")
    tab_to(page, "Start this drill")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Start now")).to_be_focused()
    page.keyboard.press("Enter")  # no count-in
    expect(heading(page)).to_have_text("Hold")
    expect(page.get_by_role("button", name="Stop")).to_be_focused()
    page.clock.run_for(30_000)
    expect(heading(page)).to_have_text("How was it?")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    tab_to(page, "Save and go on")
    page.keyboard.press("Enter")

    # Pain of 8: when to stop, right there, and the suggestion to pause the track.
    expect(heading(page)).to_have_text("Pain of 8/10 during Toe tap")
    expect(page.locator("#player-stage")).to_contain_text("Pain that travels down your leg")
    violations = []
    axe_check(page, "player, pain of 7 or more", violations)
    assert violations == []
    tab_to(page, "Pause Lumbopelvic control")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Lumbopelvic control is paused")).to_be_visible()
    assert FollowedTrack.objects.get(track__slug="lumbopelvic-control").state == "paused"
    assert [(s[0], s[3], s[2], s[5]) for s in saved(alice)] == [
        ("back-flattening", 3, 6, [(1, 8, None, "both", ""), (2, 9, None, "both", "")]),
        ("toe-tap", 8, 5, [(1, None, 30, "both", "")]),
    ]


def test_a_save_that_fails_is_sent_again_and_saved_once(browser, live_server, plan, alice):
    # Its own tab: the lost answer is one expected console error, and any other fails the test.
    # The player's own retry, as in a browser without service workers: with the worker, a save
    # with no answer waits on the phone instead (test_browser_offline.py).
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, service_workers="block"
    )
    errors = []
    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        lose_an_answer_then_resend(page, alice)
    finally:
        context.close()
    assert errors == ["Failed to load resource: net::ERR_FAILED"]


def lose_an_answer_then_resend(page, alice):
    start_with_a_paused_clock(page, alice)
    page.goto("/today/session/")
    page.get_by_role("button", name="Start the session").click()
    page.get_by_role("button", name="Skip this drill").click()  # straight to the psoas march
    page.get_by_role("button", name="Start this drill").click()
    for button in ["Done", "Done", "Skip rest", "Done", "Done"]:
        page.get_by_role("button", name=button).click()
    choose(page, "pain", 0)

    # The server saves it, but the answer never arrives.
    def lose_the_answer(route):
        route.fetch()
        route.abort()

    page.route("**/today/session/psoas-march/", lose_the_answer, times=1)
    page.get_by_role("button", name="Save and go on").click()
    expect(page.get_by_text("Not saved yet: there is no connection. Try again.")).to_be_visible()
    assert TrainingSession.objects.count() == 1
    page.get_by_role("button", name="Save and go on").click()
    expect(heading(page)).to_have_text("Session done")
    assert TrainingSession.objects.count() == 1

    # Coming back later: what was saved stays saved, and only the rest of today is left.
    page.goto("/today/session/")
    expect(page.locator(".player-drill h2")).to_have_text(["1. Side plank with hip flexion"])
