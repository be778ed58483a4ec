"""Read-only share links: made, opened without an account, expired, revoked, throttled; what
the page holds and what it never does; a fixed number of queries however long the history."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from exercises import snapshot
from exercises.models import Drill
from progress.models import CheckIn, SelfTest, SetEntry, TrainingSession
from sharing.models import ShareLink
from tests.conftest import NOW, TODAY, daily, follow, queries, sessions, text

NOTE = "alice-private-note about her left hip"


def make_link(client, label="For my physio", days=30, notes=False):
    """Make a link on /account/sharing/ as the signed-in person; its address."""
    data = {"label": label, "days": str(days)} | ({"include_notes": "on"} if notes else {})
    response = client.post("/account/sharing/", data)
    assert response.status_code == 302 and response["Location"] == "/account/sharing/"
    html = client.get("/account/sharing/").content.decode()
    return re.search(r'value="http://testserver(/shared/[\w-]+/)"', html).group(1)


@pytest.fixture
def trained(catalog, alice):
    """Alice, a few weeks into two tracks, with a note on a session and a self-test."""
    followed = follow(alice, "psoas-control", TODAY - timedelta(weeks=3))
    follow(alice, "hip-flexion-ladder", TODAY - timedelta(weeks=3))
    [session] = sessions(alice, followed.stage.drill, [TODAY - timedelta(days=1)])
    TrainingSession.objects.filter(pk=session.pk).update(note=NOTE)
    sessions(alice, followed.stage.drill, daily(TODAY - timedelta(days=20), TODAY - timedelta(2)))
    SelfTest.objects.create(user=alice, day=TODAY - timedelta(days=2), knee_left=30,
                            knee_right=40, leg_lift=2, everyday=6)  # fmt: skip
    return alice


def test_a_link_opens_for_anyone_holding_it_and_is_shown_once(client, trained, frozen):
    client.force_login(trained)
    url = make_link(client)
    assert len(url) > 40  # 256 random bits
    assert url not in client.get("/account/sharing/").content.decode()  # shown once
    link = ShareLink.objects.get()
    assert link.secret_hash not in url and len(link.secret_hash) == 64  # only its hash kept
    assert link.expires_at == timezone.now() + timedelta(days=30)

    physio = Client()
    response = physio.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    page = text(response)
    assert "Hip training summary: Alice" in page
    assert "Stage 1 of 4: Back flattening Started" in page
    assert "Knee-raise self-test: your left side holds 25% less: start each set on the left." in (
        page
    )
    assert "Opened" not in text(client.get("/account/sharing/"))
    assert "Last opened 18 Nov 2026, 12:00" in text(client.get("/account/sharing/"))


def test_a_link_expires_after_the_days_chosen(client, trained):
    with time_machine.travel(NOW, tick=False):
        client.force_login(trained)
        url = make_link(client, days=7)
    physio = Client()
    with time_machine.travel(NOW + timedelta(days=7, seconds=-1), tick=False):
        assert physio.get(url).status_code == 200
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        assert physio.get(url).status_code == 404
        client.force_login(trained)
        assert "No link is working now." in text(client.get("/account/sharing/"))


def test_revoking_ends_the_link_at_once_even_on_a_page_already_open(client, trained, frozen):
    client.force_login(trained)
    url = make_link(client)
    physio = Client()
    assert physio.get(url).status_code == 200  # the page is open on the physio's screen
    link = ShareLink.objects.get()
    assert client.post(f"/account/sharing/{link.pk}/revoke/")["Location"] == "/account/sharing/"
    reloaded = physio.get(url)  # no cache kept it: the reload asks the server, which says no
    assert reloaded.status_code == 404
    assert reloaded["Cache-Control"] == "no-store"
    assert not ShareLink.objects.exists()
    assert "The link “For my physio” no longer works." in text(client.get("/account/sharing/"))


def test_expired_revoked_and_made_up_links_are_the_same_plain_404(client, trained):
    with time_machine.travel(NOW, tick=False):
        client.force_login(trained)
        expired, revoked = make_link(client, days=7), make_link(client, days=30)
        client.post(f"/account/sharing/{ShareLink.objects.order_by('pk').last().pk}/revoke/")
    with time_machine.travel(NOW + timedelta(days=8), tick=False):
        physio = Client()
        answers = [physio.get(url) for url in (expired, revoked, "/shared/made-up-secret/")]
    assert [a.status_code for a in answers] == [404] * 3
    assert len({a.content for a in answers}) == 1
    assert all(a["Cache-Control"] == "no-store" for a in answers)


def test_bob_sees_and_revokes_only_his_own_links(client, trained, bob, frozen):
    client.force_login(trained)
    url = make_link(client, label="For Dr Ortiz")
    link = ShareLink.objects.get()
    client.force_login(bob)
    assert "For Dr Ortiz" not in text(client.get("/account/sharing/"))
    assert client.post(f"/account/sharing/{link.pk}/revoke/").status_code == 404
    assert ShareLink.objects.filter(pk=link.pk).exists()
    # Through the link alice made, bob sees what anyone holding it sees: her summary.
    assert "Hip training summary: Alice" in text(client.get(url))
    bob_url = make_link(client, label="Bob's")
    assert "Alice" not in text(Client().get(bob_url))


def test_the_shared_page_holds_no_email_no_notes_no_form_and_no_account_links(
    client, trained, frozen
):
    client.force_login(trained)
    url = make_link(client)
    html = Client().get(url).content.decode()
    assert "alice@example.com" not in html and "alice@" not in html
    assert NOTE not in html
    assert "<form" not in html and "<input" not in html and "csrfmiddlewaretoken" not in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert all(h.startswith("/static/") or h == "#main" for h in hrefs), hrefs
    # The same page, signed in as alice: still no account links and no sign-out form.
    own = client.get(url).content.decode()
    assert "<form" not in own and "alice@example.com" not in own


def test_notes_show_only_on_a_link_made_with_them(client, trained, frozen):
    client.force_login(trained)
    url = make_link(client, label="With notes", notes=True)
    page = text(Client().get(url))
    assert NOTE in page
    assert "with your notes" in text(client.get("/account/sharing/"))


def test_a_person_without_a_display_name_is_not_named_by_their_email(client, trained, frozen):
    trained.display_name = ""
    trained.save()
    client.force_login(trained)
    page = text(Client().get(make_link(client)))
    assert "Hip training summary " in page and "alice" not in page.lower()


def test_the_shared_page_is_drawn_by_the_history_code(client, trained, frozen):
    client.force_login(trained)
    url = make_link(client)
    shared = text(Client().get(url))
    history = text(client.get("/history/"))
    # The stage timeline as history writes it (history.timeline); for the physio, the current
    # stage's counted weeks and where it stands, as on today's page.
    timeline = r"Stage 1 of 4: Back flattening Started \w+ \d+, 2026 · current stage"
    span = re.search(timeline, history)
    assert span and span.group(0) in shared
    counted = r"current stage · \d+ counted weeks? so far Why: Started\. Now: \d+ of 3 weeks done"
    assert re.search(counted, shared)
    # The current drill charted as a drill's page charts it (history.line_chart).
    assert '<svg class="line-chart"' in Client().get(url).content.decode()
    assert "Back flattening, total reps per session over the last 12 weeks" in shared
    # Adherence and pain by week, as on history.
    assert text(Client().get(url)).count("(this week)") == 1
    assert "Plan kept over the last 11 complete weeks" in text(Client().get(url))


def test_a_switched_off_person_shares_nothing(client, trained, frozen):
    client.force_login(trained)
    url = make_link(client)
    trained.is_active = False
    trained.save()
    assert Client().get(url).status_code == 404


def test_guessing_is_throttled_per_client_address(client, trained, settings):
    settings.HIPAPP_SHARE_MISSES_PER_HOUR = 3
    hour = NOW.replace(minute=5)
    with time_machine.travel(hour, tick=False):
        client.force_login(trained)
        url = make_link(client)
        guesser, physio = Client(), Client()
        for n in range(3):
            assert guesser.get(f"/shared/guess-{n}/", REMOTE_ADDR="203.0.113.9").status_code == 404
        # Past the limit every link from there is refused, the real one too.
        refused = guesser.get(url, REMOTE_ADDR="203.0.113.9")
        assert refused.status_code == 429 and "Too many tries" in text(refused)
        assert refused["Cache-Control"] == "no-store"
        assert physio.get(url, REMOTE_ADDR="198.51.100.7").status_code == 200
        for _ in range(5):  # a real link opened often counts nothing
            assert physio.get(url, REMOTE_ADDR="198.51.100.7").status_code == 200
    with time_machine.travel(hour + timedelta(hours=1), tick=False):
        assert guesser.get(url, REMOTE_ADDR="203.0.113.9").status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"label": "", "days": "30"}, "This field is required."),
        ({"label": "   ", "days": "30"}, "This field is required."),
        ({"label": "x" * 61, "days": "30"}, "at most 60 characters"),
        ({"label": "Physio", "days": "365"}, "Select a valid choice"),
    ],
)
def test_a_bad_link_form_makes_nothing_and_says_why(client, alice, data, message):
    client.force_login(alice)
    response = client.post("/account/sharing/", data)
    assert response.status_code == 200 and message in text(response)
    assert not ShareLink.objects.exists()


def test_deleting_the_account_deletes_its_links_and_self_tests(client, trained, frozen):
    from tests.conftest import PASSWORD

    client.force_login(trained)
    url = make_link(client)
    client.post("/account/delete/", {"password": PASSWORD, "confirm": "on"})
    assert not ShareLink.objects.exists() and not SelfTest.objects.exists()
    assert Client().get(url).status_code == 404


# --- a fixed number of queries ----------------------------------------------------------------


def history_of(user, first):
    """Daily sessions of each followed track's drill and of a one-sided drill, a morning
    check-in after each day, and a self-test every four weeks, from first to today."""
    days = daily(first, TODAY)
    for slug in ("psoas-control", "hip-flexion-ladder"):
        sessions(user, follow(user, slug, first).stage.drill, days)
    plank = Drill.objects.get(slug="side-plank-hip-flexion")
    made = TrainingSession.objects.bulk_create(
        TrainingSession(user=user, drill=plank, day=day, effort=5, pain=2, note="n") for day in days
    )
    SetEntry.objects.bulk_create(
        SetEntry(session=s, position=n, side=side, seconds=20 + n)
        for s in made
        for n, side in enumerate(("left", "right"), start=1)
    )
    CheckIn.objects.bulk_create(
        CheckIn(user=user, day=day, week=day - timedelta(days=day.weekday()), pain=1,
                stiffness="same")
        for day in days
    )  # fmt: skip
    SelfTest.objects.bulk_create(
        SelfTest(user=user, day=day, knee_left=30, knee_right=35, leg_lift=2, everyday=6)
        for day in days[::-28]
    )


def test_the_shared_page_runs_the_same_queries_for_a_week_as_for_three_years(
    catalog, alice, bob, frozen
):
    history_of(bob, TODAY - timedelta(days=6))
    history_of(alice, TODAY - timedelta(weeks=156))
    assert TrainingSession.objects.filter(user=alice).count() > 3 * 3 * 360
    snapshot.catalog()  # the process's copy of the catalog, built once per revision
    expected = [
        "select sharing_sharelink",  # the link, with its person
        "update sharing_sharelink",  # opened now
        "select progress_followedtrack",  # the stage timelines
        "select progress_stagechange",
        "select progress_trainingsession",  # what the rule reads
        "select progress_checkin",
        "select progress_setentry",
        "select progress_trainingsession",  # training days of the twelve weeks
        "select progress_weeklytotal",  # pain by week, in training and (UNION) mornings
        "select progress_selftest",  # the latest self-tests
        "select progress_trainingsession",  # the latest sessions
        "select progress_setentry",  # their sets
        "select progress_trainingsession",  # the current drills' sessions, for the charts
        "select progress_sessionside",  # each side of the one-sided drills, last four weeks
    ]
    seen = []
    for person in (bob, alice):
        owner = Client()
        owner.force_login(person)
        url = make_link(owner)
        seen.append(queries(Client(), url))
        assert "Side plank with hip flexion" in text(Client().get(url))
    assert seen == [expected, expected]
