"""Security: throttling, the ownership walk over every URL, CSRF, headers, hostile input."""

import os
import re
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from exercises.models import Drill, Stage
from progress.models import FollowedTrack, SetEntry, TrainingSession
from tests.conftest import PASSWORD, sent_mail, sign_in

ROOT = Path(__file__).resolve().parent.parent


# --- Login throttling ------------------------------------------------------------------


def test_five_wrong_passwords_lock_that_email_from_that_address_with_the_wait_time(client, alice):
    for _ in range(4):
        assert sign_in(client, alice.email, "guess").status_code == 200
    assert sign_in(client, alice.email, "guess").status_code == 429  # the fifth locks
    response = sign_in(client, alice.email)  # even the right password is refused now
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many sign-in attempts" in html
    assert "Please wait 0:15:00" in html
    assert "_auth_user_id" not in client.session


def test_changing_the_case_of_the_email_does_not_buy_more_guesses(client, alice):
    for variant in [
        "alice@example.com",
        "ALICE@example.com",
        "Alice@Example.com",
        "aLiCe@example.com",
    ]:
        sign_in(client, variant, "guess")
    assert sign_in(client, "ALICE@EXAMPLE.COM", "guess").status_code == 429


def test_a_lockout_from_elsewhere_does_not_lock_the_owner_out(alice):
    attacker, owner = Client(), Client()
    for _ in range(6):
        sign_in(attacker, alice.email, "guess", ip="203.0.113.9")
    assert sign_in(attacker, alice.email, ip="203.0.113.9").status_code == 429
    response = sign_in(owner, alice.email, ip="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == "/today/"


def test_a_look_alike_of_a_locked_email_neither_signs_in_nor_gets_more_guesses(client, alice):
    for _ in range(5):
        sign_in(client, alice.email, "guess")
    # A dotless ı is another address, with no account (PostgreSQL's UPPER() reads it as an i).
    response = sign_in(client, "al\u0131ce@example.com")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert sign_in(client, "AL\u0130CE@example.com").status_code == 200  # dotted capital İ
    # Full-width letters are Alice's own address in another spelling: her lock holds.
    assert sign_in(client, "\uff41\uff4c\uff49\uff43\uff45@example.com").status_code == 429
    assert sign_in(client, " ALICE@EXAMPLE.COM\u00a0").status_code == 429
    assert "_auth_user_id" not in client.session


CURRENT_PASSWORD_FORMS = {
    "/account/delete/": lambda password: {"password": password, "confirm": "on"},
    "/accounts/password/change/": lambda password: {
        "old_password": password,
        "new_password1": "a brand new passphrase 7",
        "new_password2": "a brand new passphrase 7",
    },
}


@pytest.mark.parametrize("url", CURRENT_PASSWORD_FORMS)
def test_guessing_the_current_password_when_signed_in_counts_like_sign_in(client, alice, url):
    form = CURRENT_PASSWORD_FORMS[url]
    client.force_login(alice)
    for _ in range(4):
        response = client.post(url, form("guess"), REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 200
    response = client.post(url, form("guess"), REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "Please wait 0:15:00" in response.content.decode()
    # Locked now: the right password is refused too, here and at sign-in from this address.
    assert client.post(url, form(PASSWORD), REMOTE_ADDR="10.0.0.1").status_code == 429
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert sign_in(Client(), alice.email, ip="10.0.0.1").status_code == 429
    assert sign_in(Client(), alice.email, ip="198.51.100.7").status_code == 302


def test_sign_in_and_account_page_failures_share_one_count(client, alice):
    for _ in range(3):
        sign_in(Client(), alice.email, "guess")
    client.force_login(alice)
    delete = CURRENT_PASSWORD_FORMS["/account/delete/"]
    assert (
        client.post("/account/delete/", delete("guess"), REMOTE_ADDR="10.0.0.1").status_code == 200
    )
    assert (
        client.post("/account/delete/", delete("guess"), REMOTE_ADDR="10.0.0.1").status_code == 429
    )


def test_the_lock_lifts_after_the_cool_off(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            sign_in(client, alice.email, "guess")
        assert sign_in(client, alice.email).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert sign_in(client, alice.email).status_code == 302


def test_behind_a_proxy_each_client_is_counted_at_its_own_address(settings, bob):
    """One trusted proxy: the client is the right-most X-Forwarded-For entry (the one the proxy
    wrote); anything left of it is the client's own claim and changes nothing."""
    settings.HIPAPP_PROXY_COUNT = 1
    stranger, owner = Client(), Client()
    for _ in range(5):
        sign_in(stranger, bob.email, "guess", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    locked = sign_in(stranger, bob.email, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert locked.status_code == 429
    # A made-up left-most entry does not get the stranger out of the lock.
    spoofed = sign_in(
        stranger, bob.email, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.44, 203.0.113.9"
    )
    assert spoofed.status_code == 429
    # Bob, from his own address through the same proxy, signs in.
    response = sign_in(owner, bob.email, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == "/today/"


@pytest.mark.parametrize(
    "proxies, forwarded_for, address",
    [
        (0, None, "10.0.0.2"),
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is the client's own
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.44, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.44, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (1, None, "10.0.0.2"),  # reached directly, past the proxy
        (2, "203.0.113.9", "10.0.0.2"),  # fewer entries than proxies: not trusted
        (1, "not an address", "10.0.0.2"),
    ],
)
def test_the_client_address_is_the_right_most_entry_no_trusted_proxy_wrote(
    rf, settings, proxies, forwarded_for, address
):
    from axes.helpers import get_client_ip_address

    settings.HIPAPP_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    request = rf.post("/accounts/login/", REMOTE_ADDR="10.0.0.2", **headers)
    assert get_client_ip_address(request) == address


# --- Password reset ----------------------------------------------------------------------


def ask_for_reset(client, email, ip="10.0.0.1"):
    return client.post("/accounts/password/reset/", {"email": email}, REMOTE_ADDR=ip)


def reset_link(message):
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body)[1]


def test_one_address_gets_at_most_three_reset_emails_an_hour(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(5):  # from five places, so only the email's own limit applies
            response = ask_for_reset(client, "ALICE@example.com", ip=f"198.51.100.{n}")
            assert response["Location"] == "/accounts/password/reset/sent/"  # the same answer
        assert len(sent_mail()) == 3
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        ask_for_reset(client, alice.email)
        assert len(sent_mail()) == 4


def test_one_connection_may_ask_for_ten_resets_an_hour(client, alice):
    for n in range(10):
        assert ask_for_reset(client, f"someone{n}@example.com").status_code == 302
    response = ask_for_reset(client, alice.email)
    assert response.status_code == 429
    assert "Too many password-reset requests" in response.content.decode()
    assert sent_mail() == []
    assert ask_for_reset(client, alice.email, ip="198.51.100.7").status_code == 302
    assert len(sent_mail()) == 1


def test_the_reset_answer_does_not_wait_for_the_email(client, alice, monkeypatch):
    """A known and an unknown address answer alike: the email goes out after the answer."""
    from django.core.mail.backends.locmem import EmailBackend

    may_send = threading.Event()
    send = EmailBackend.send_messages

    def slow_send(self, messages):
        assert may_send.wait(timeout=10)
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow_send)
    response = ask_for_reset(client, alice.email)  # answered while the email is held up
    assert response["Location"] == "/accounts/password/reset/sent/"
    may_send.set()
    assert len(sent_mail()) == 1


def test_choosing_a_new_password_by_the_emailed_link_lifts_the_lock(client, alice):
    for _ in range(5):
        sign_in(client, alice.email, "guess")
    assert sign_in(client, alice.email).status_code == 429
    ask_for_reset(client, alice.email)
    phone = Client()
    form_url = phone.get(reset_link(sent_mail()[0]))["Location"]
    phone.post(form_url, {"new_password1": "reset pass 99", "new_password2": "reset pass 99"})
    response = sign_in(client, alice.email, "reset pass 99")
    assert response.status_code == 302 and response["Location"] == "/today/"


# --- Every URL: anonymous, owner, another person ----------------------------------------

# Pages anyone may see. Every other pattern the project defines must ask for a sign-in.
PUBLIC = {
    "",
    "healthz",
    "favicon.ico",
    "drills/",
    "drills/<slug:slug>/",
    "red-flags/",
    "accounts/signup/",
    "accounts/login/",
    "accounts/logout/",
    "accounts/password/reset/",
    "accounts/password/reset/sent/",
    "accounts/password/reset/<uidb64>/<token>/",
    "accounts/password/reset/done/",
    # Reminders: the feed is opened by calendar apps and the stop link from an email, each
    # with its own secret.
    "calendar/<slug:secret>.ics",
    "reminders/stop/<str:token>/",
    # The installable app: the service worker, what it keeps for everyone, the manifest.
    "sw.js",
    # A read-only summary for whoever holds a link its person made (tests/test_sharing.py).
    "shared/<str:secret>/",
    "offline/files.js",
    "offline/",
    "manifest.webmanifest",
}


def project_routes(patterns=None, prefix=""):
    """(route, pattern) for every URL the project defines; Django's admin has its own guard."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            yield from project_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def sample_session(owner):
    drill = Drill.objects.get(slug="toe-tap")
    session = TrainingSession.objects.create(
        user=owner, drill=drill, day=timezone.localdate(), effort=5, pain=1, note=PRIVATE_NOTE
    )
    SetEntry.objects.create(session=session, position=1, seconds=30)
    return session.pk


def sample_followed_track(owner):
    stage = Stage.objects.get(track__slug="hip-flexion-ladder", position=1)
    FollowedTrack.objects.create(
        user=owner, track=stage.track, stage=stage, stage_started=timezone.localdate()
    )
    return stage.track.slug


def sample_device(owner):
    from reminders.models import PushSubscription

    device = PushSubscription.objects.create(
        user=owner, endpoint="https://push.example.net/a1", p256dh="k", auth="a", device="Phone"
    )
    return device.pk


def sample_self_test(owner):
    from progress.models import SelfTest

    return SelfTest.objects.create(user=owner, day=timezone.localdate(), knee_left=30).pk


def sample_share_link(owner):
    from sharing.models import ShareLink

    link, _ = ShareLink.objects.make(owner, label="Physio", days=7, include_notes=False)
    return link.pk


PRIVATE_NOTE = "alice-private-note"
# Values for route parameters, made for the owner. A new parameter name fails the walk
# until a maker is added here. OWNED parameters name the owner's objects: another person
# gets a 404 for them.
SAMPLES = {
    "pk": sample_session,
    "track": sample_followed_track,
    "drill": lambda owner: "band-hurdle-hold",
    "track_slug": lambda owner: "psoas-control",
    "device": sample_device,
    "test": sample_self_test,
    "link": sample_share_link,
}
OWNED = {"pk", "track", "device", "test", "link"}


def fill(route, owner):
    def value(match):
        name = match.group(2)
        if name not in SAMPLES:
            pytest.fail(f"{route}: add a sample for <{name}> to SAMPLES")
        return str(SAMPLES[name](owner))

    return "/" + re.sub(r"<(\w+:)?(\w+)>", value, route)


def private_routes():
    return [route for route, _ in project_routes() if route not in PUBLIC]


def test_the_walk_sees_the_private_pages():
    assert {
        "today/",
        "account/",
        "account/export/",
        "account/delete/",
        "log/<slug:drill>/",
        "sessions/<int:pk>/edit/",
        "tracks/<slug:track>/advance/",
    } <= set(private_routes())


def request(client, url):
    """GET the page, which answers 200; an action that only takes POST is posted to instead,
    and answers with a redirect (after the change, or back with a message)."""
    response = client.get(url)
    if response.status_code == 405:
        return client.post(url), 302
    return response, 200


@pytest.mark.parametrize("route", private_routes())
def test_every_private_page_sends_visitors_to_sign_in(client, catalog, alice, route):
    url = fill(route, alice)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("route", private_routes())
def test_every_private_page_opens_for_its_owner_and_is_a_404_for_anyone_else(
    client, catalog, alice, bob, route
):
    url = fill(route, alice)
    client.force_login(bob)
    response, right = request(client, url)
    if set(re.findall(r"<\w+:(\w+)>", route)) & OWNED:
        assert response.status_code == 404
    else:  # a page about "me": bob sees his own, never alice's
        assert response.status_code == OWNER_ANSWERS.get(route, right)
        html = response.content.decode()
        assert alice.email not in html and PRIVATE_NOTE not in html
    client.force_login(alice)
    response, right = request(client, url)
    assert response.status_code == OWNER_ANSWERS.get(route, right)


# An empty POST to the player's save endpoint is bad input: it answers 400, saving nothing.
OWNER_ANSWERS = {"today/session/<slug:drill>/": 400}


def test_the_admin_is_for_staff_only(client, alice):
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    client.force_login(alice)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


# --- CSRF --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/logout/",
        "/account/",
        "/account/delete/",
        "/account/calendar/",
    ],
)
def test_a_post_without_the_csrf_token_is_refused(alice, url):
    from reminders.models import CalendarFeed

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    data = {"password": PASSWORD, "confirm": "on", "weekdays": ["1"], "remind_at": "08:00"}
    response = client.post(url, data | {"time_zone": "UTC", "remind_by": "email"})
    assert response.status_code == 403
    alice.refresh_from_db()  # still here, unchanged
    assert (alice.plan_days, alice.remind_by) == ([0, 2, 4], "none")
    assert not CalendarFeed.objects.exists()


def test_a_post_with_the_csrf_token_goes_through(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get("/account/")
    token = client.cookies["csrftoken"].value
    data = {"csrfmiddlewaretoken": token, "time_zone": "UTC", "weekdays": ["1", "4"]}
    response = client.post("/account/", data | {"remind_at": "18:00", "remind_by": "none"})
    assert response.status_code == 302


# --- Headers -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/drills/", "/accounts/login/", "/admin/login/"])
def test_every_page_sends_the_security_headers(client, db, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(item.strip().split("=") for item in response["Permissions-Policy"].split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert policy[feature] == "()", feature  # switched off
    # Kept for our own pages: the session player will keep the screen awake.
    assert policy["screen-wake-lock"] == "(self)"


@pytest.mark.parametrize(
    "url",
    [
        "/today/",
        "/history/",
        "/sessions/",
        "/log/toe-tap/",
        "/account/",
        "/account/export/",
        "/account/export/?format=csv",
        "/account/export/?format=json",
        "/drills/",
    ],
)
def test_no_cache_keeps_what_a_signed_in_person_sees(client, catalog, alice, url):
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


def test_no_page_template_carries_inline_script_or_style():
    import re

    paths = [*(ROOT / "jinja2").rglob("*.html"), *(ROOT / "templates").rglob("*.html")]
    assert len(paths) > 50
    for path in paths:
        html = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\sstyle=", html), path
        assert "<style" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path


def test_production_settings_turn_on_hsts_secure_cookies_and_the_ssl_redirect():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 60}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hipapp.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    hsts, *flags = result.stdout.split()
    assert int(hsts) >= 365 * 24 * 3600
    assert flags == ["True"] * 4
