"""The session player's page and the endpoint it saves each drill through (no browser)."""

import re
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercises import snapshot
from exercises.revision import catalog_changed
from progress.models import TrainingSession
from tests.conftest import follow, queries, text

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
TODAY = date(2026, 3, 18)
PAIN_REQUIRED = "Choose how much it hurt, from 0 (no pain) to 10 (the worst). Nothing was saved."
URL = "/today/session/side-plank-hip-flexion/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def drill_sent(**changes):
    """The fields the player posts for a two-sided hold: the log form's own."""
    data = {
        "token": str(uuid.uuid4()),
        "day": TODAY.isoformat(),
        "effort": "6",
        "pain": "2",
        "note": "",
        "sets-TOTAL_FORMS": "2",
        "sets-INITIAL_FORMS": "0",
        "sets-0-seconds": "20",
        "sets-0-side": "left",
        "sets-1-seconds": "17",
        "sets-1-side": "right",
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


def test_a_drill_is_saved_as_a_session_and_answered_in_json(client, catalog, alice):
    client.force_login(alice)
    response = client.post(URL, drill_sent())
    assert response.status_code == 201
    answer = response.json()
    session = TrainingSession.objects.get(user=alice)
    assert answer == {
        "saved": True,
        "created": True,
        "session": session.pk,
        "day": "2026-03-18",
        "message": "Side plank with hip flexion is saved for Wednesday, Mar 18.",
    }
    assert (session.day, session.effort, session.pain, session.note) == (TODAY, 6, 2, "")
    assert [(s.seconds, s.side) for s in session.sets.all()] == [(20, "left"), (17, "right")]


def test_a_drill_sent_again_with_its_token_is_saved_once(client, catalog, alice):
    client.force_login(alice)
    data = drill_sent()
    assert client.post(URL, data).status_code == 201
    again = client.post(URL, data)
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert "already saved" in again.json()["message"]
    assert TrainingSession.objects.count() == 1


def test_a_drill_without_a_pain_answer_is_refused_in_plain_words(client, catalog, alice):
    client.force_login(alice)
    response = client.post(URL, drill_sent(pain=None))
    assert (response.status_code, response.json()["message"]) == (400, PAIN_REQUIRED)
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"pain": None}, "pain", PAIN_REQUIRED),
        ({"pain": ""}, "pain", PAIN_REQUIRED),
        ({"pain": "11"}, "pain", "Select a valid choice"),
        ({"effort": "0"}, "effort", "Select a valid choice"),
        ({"day": "2026-03-19"}, "day", "That date is in the future"),
        ({"token": None}, "token", "This field is required"),
        ({"token": "not-a-token"}, "token", "Enter a valid UUID"),
        ({"sets-0-seconds": "3601"}, "sets-0-seconds", "less than or equal to 3600"),
        ({"sets-TOTAL_FORMS": None}, "sets", "Log at least one set"),
        ({"sets-TOTAL_FORMS": "0"}, "sets", "Log at least one set"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(
    client, catalog, alice, changes, field, message
):
    client.force_login(alice)
    response = client.post(URL, drill_sent(**changes))
    assert response.status_code == 400
    answer = response.json()
    assert answer["saved"] is False
    assert any(message in m for m in answer["errors"][field]), answer
    assert answer["message"] == next(iter(answer["errors"].values()))[0]  # the first error
    assert not TrainingSession.objects.exists()


def test_the_endpoint_takes_posts_only_with_the_csrf_token(catalog, alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.get(URL).status_code == 405
    assert browser.post(URL, drill_sent()).status_code == 403
    assert browser.post("/today/session/no-such-drill/", drill_sent()).status_code == 403
    browser.get("/today/session/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(URL, drill_sent(csrfmiddlewaretoken=token))
    assert response.status_code == 201
    unknown = browser.post("/today/session/no-such-drill/", drill_sent(csrfmiddlewaretoken=token))
    assert unknown.status_code == 404
    assert TrainingSession.objects.count() == 1


def test_an_unknown_drill_is_a_404(client, catalog, alice):
    client.force_login(alice)
    assert client.post("/today/session/no-such-drill/", drill_sent()).status_code == 404


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=st.dictionaries(
        st.sampled_from(list(drill_sent())),
        st.one_of(st.text(max_size=40), st.sampled_from(["-1", "1e309", "NaN", "9" * 40, ""])),
    )
)
def test_generated_input_is_answered_without_a_server_error(catalog, alice, values):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.post(URL, drill_sent() | values)
    assert response.status_code in (200, 201, 400), values
    assert response.json()["saved"] == (response.status_code < 400)


def test_the_page_lists_todays_drills_in_order_with_a_way_to_log_each(client, catalog, alice):
    follow(alice, "hip-flexion-ladder", TODAY - timedelta(days=7), position=2)  # isometric
    follow(alice, "psoas-control", TODAY - timedelta(days=7))  # control: first
    follow(alice, "lumbopelvic-control", TODAY - timedelta(days=7), position=2)  # strength
    client.force_login(alice)
    html = client.get("/today/session/").content.decode()
    assert re.findall(r'<h2 class="h5 mb-1">\d\. ([^<]+)</h2>', html) == [
        "Back flattening",
        "Side plank with hip flexion",
        "Psoas march",
    ]
    assert 'href="/log/back-flattening/"' in html  # without JavaScript, the log form
    assert 'type="module" src="/static/js/player.js"' in html
    assert 'data-save="/today/session/side-plank-hip-flexion/"' in html
    assert 'data-timed="true"' in html and 'data-per-side="true"' in html
    assert "When to stop and see someone" in text(client.get("/today/session/"))


def test_drills_done_today_and_paused_tracks_are_left_out(client, catalog, alice):
    control = follow(alice, "psoas-control", TODAY - timedelta(days=7))
    ladder = follow(alice, "hip-flexion-ladder", TODAY - timedelta(days=7))
    ladder.state = "paused"
    ladder.save()
    client.force_login(alice)
    assert "1. Back flattening" in text(client.get("/today/session/"))
    client.post(
        "/log/back-flattening/", {"token": str(uuid.uuid4()), "prescribed": "1", "pain": "1"}
    )
    html = client.get("/today/session/").content.decode()
    assert "player-drill" not in html
    assert "Nothing waiting: every drill for today is done" in text(client.get("/today/session/"))
    assert control.stage.drill.name == "Back flattening"


def test_today_leads_to_the_player(client, catalog, alice):
    follow(alice, "psoas-control", TODAY - timedelta(days=7))
    client.force_login(alice)
    html = client.get("/today/").content.decode()
    assert re.search(r'<a class="btn btn-primary btn-lg[^"]*" href="/today/session/">'
                     r"Start today's session</a>", html)  # fmt: skip


def test_the_page_runs_a_fixed_number_of_queries(client, catalog, alice):
    followed = follow(alice, "psoas-control", TODAY - timedelta(days=70))
    drill = followed.stage.drill
    catalog_changed()
    client.force_login(alice)
    signed_in = ["select accounts_user"]  # the session itself comes from the cache
    built = signed_in + [
        "select progress_followedtrack",  # with their tracks, stages and drills
        "select progress_trainingsession",  # the drills done today
    ]
    assert [queries(client, "/today/session/"), queries(client, "/today/session/")] == [
        built,
        signed_in,
    ]
    for n in range(1, 70):
        TrainingSession.objects.record(
            alice, drill, token=uuid.uuid4(), day=TODAY - timedelta(days=n), effort=5, pain=0,
            sets=[{"reps": 8}],
        )  # fmt: skip
    assert [queries(client, "/today/session/"), queries(client, "/today/session/")] == [
        built,
        signed_in,
    ]


def test_saving_runs_the_same_queries_as_the_log_form(client, catalog, alice):
    client.force_login(alice)
    snapshot.catalog()  # the process's copy of the catalog, built once per revision
    player = queries(client, URL, "post", drill_sent(), status=201)
    form = queries(client, "/log/side-plank-hip-flexion/", "post", drill_sent(), status=302)
    assert player == form  # asserted one by one in test_progress
    assert TrainingSession.objects.count() == 2


def test_someone_signed_out_is_sent_to_sign_in_and_nothing_is_saved(client, catalog):
    response = client.post(URL, drill_sent())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not TrainingSession.objects.exists()


# --- "Log as prescribed" kept on a phone with no signal and sent later (static/sw.js) ----


def prescribed_sent(**changes):
    return {"token": str(uuid.uuid4()), "prescribed": "1", "pain": "2"} | changes


def test_log_as_prescribed_sent_later_saves_the_dose_on_the_day_it_was_tapped(
    client, catalog, alice
):
    client.force_login(alice)
    yesterday = TODAY - timedelta(days=1)
    data = prescribed_sent(day=yesterday.isoformat())
    response = client.post("/today/session/toe-tap/", data)
    assert response.status_code == 201
    session = TrainingSession.objects.get(user=alice)
    assert (session.day, session.pain, session.effort) == (yesterday, 2, 5)
    assert [s.seconds for s in session.sets.all()] == [30]  # the dose: 1 x 30 s
    again = client.post("/today/session/toe-tap/", data)
    assert (again.status_code, again.json()["created"]) == (200, False)
    assert TrainingSession.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"day": "2020-01-01"}, "day", "You can log sessions from the last year only."),
        ({"day": "2026-03-19"}, "day", "That date is in the future."),
        ({"day": None}, "day", "This field is required."),
        ({"pain": None}, "pain", "Choose how much it hurt"),
        ({"pain": "11"}, "pain", "Select a valid choice"),
    ],
)
def test_log_as_prescribed_sent_later_with_bad_input_is_refused_by_field(
    client, catalog, alice, changes, field, message
):
    client.force_login(alice)
    day = TODAY.isoformat()
    data = {k: v for k, v in (prescribed_sent(day=day) | changes).items() if v is not None}
    response = client.post("/today/session/toe-tap/", data)
    assert response.status_code == 400
    answer = response.json()
    assert answer["saved"] is False
    assert answer["message"].startswith(message)
    assert list(answer["errors"]) == [field]
    assert not TrainingSession.objects.exists()
