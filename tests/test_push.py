"""Web push: reminders go over real HTTP to a push service on loopback, which checks the VAPID
signature and decrypts the payload as a browser's push service and the browser would."""

import json
import os
import threading
import time
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import http_ece
import pytest
import time_machine
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core import mail

from reminders.models import PushSubscription, Reminder
from reminders.sending import send_due
from tests.conftest import follow, queries, text

SUBJECT = "mailto:team@hipapp.example"  # as the vapid fixture sets it
# Wednesday 18 March 2026, 18:00 in Berlin.
REMINDER_TIME = datetime(2026, 3, 18, 18, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def b64(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64text(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


class Browser:
    """A browser's side of a subscription: its key pair and auth secret."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    @property
    def p256dh(self) -> str:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64text(point)

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


class PushService(ThreadingHTTPServer):
    """Answers each endpoint path as the test asks (201 unless told), after checking the
    request: VAPID JWT signed by the server's key for this origin, a TTL, and a payload that
    the subscription's browser can decrypt."""

    def __init__(self, public_key):
        super().__init__(("127.0.0.1", 0), PushHandler)
        self.public_key = public_key
        self.browsers = {}
        self.answers = {}
        self.received = []  # (path, payload)
        self.problems = []

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.server_port}"

    def check(self, path, headers, body) -> dict:
        scheme, params = headers["Authorization"].split(" ", 1)
        assert scheme == "vapid", scheme
        parts = dict(param.split("=", 1) for param in params.split(","))
        assert parts["k"] == self.public_key
        header, claims, signature = parts["t"].split(".")
        signer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64(parts["k"]))
        raw = b64(signature)
        signer.verify(  # raises InvalidSignature
            encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:])),
            f"{header}.{claims}".encode(),
            ec.ECDSA(hashes.SHA256()),
        )
        assert json.loads(b64(header))["alg"] == "ES256"
        claims = json.loads(b64(claims))
        assert claims["aud"] == self.origin and claims["sub"] == SUBJECT
        assert time.time() < claims["exp"] <= time.time() + 24 * 3600
        assert int(headers["TTL"]) > 0
        assert headers["Content-Encoding"] == "aes128gcm"
        return self.browsers[path].decrypt(body)


class PushHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        try:
            payload = self.server.check(self.path, self.headers, body)
        except Exception as exc:  # told to the test, which fails on it
            self.server.problems.append(repr(exc))
            status = 400
        else:
            self.server.received.append((self.path, payload))
            status = self.server.answers.get(self.path, 201)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def push_service(vapid):
    service = PushService(vapid)
    thread = threading.Thread(target=service.serve_forever, daemon=True)
    thread.start()
    yield service
    service.shutdown()
    service.server_close()
    thread.join()


def device(service, user, name, answer=201):
    browser = Browser()
    service.browsers[f"/push/{name}"] = browser
    service.answers[f"/push/{name}"] = answer
    return PushSubscription.objects.create(
        user=user,
        endpoint=f"{service.origin}/push/{name}",
        p256dh=browser.p256dh,
        auth=b64text(browser.auth),
        device=name,
    )


@pytest.mark.parametrize(
    ("answer", "status", "kept"),
    [
        (201, "sent", True),
        (429, "due", True),  # too many requests: tried again on a later run
        (503, "due", True),
        (410, "nowhere", False),  # gone: the subscription is deleted
        (404, "nowhere", False),
    ],
)
def test_a_push_reminder_reaches_the_push_service_signed_and_encrypted(
    catalog, alice, push_service, answer, status, kept
):
    alice.remind_by = "push"
    alice.save()
    follow(alice, "psoas-control", date(2026, 3, 10))
    phone = device(push_service, alice, "phone", answer)
    with time_machine.travel(REMINDER_TIME, tick=False):
        send_due()
    assert push_service.problems == []
    [(path, payload)] = push_service.received
    assert path == "/push/phone"
    assert payload["title"] == "Training day: Back flattening"
    assert payload["body"] == "Next up: Back flattening, 2 sets of 8 reps (Psoas control, stage 1)."
    assert payload["url"] == "/today/"  # the player, opened when the notification is tapped
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts) == (status, 1 if status == "due" else 0)
    assert PushSubscription.objects.filter(pk=phone.pk).exists() == kept
    assert mail.outbox == []


def test_a_gone_device_is_dropped_while_the_others_get_the_reminder(alice, push_service):
    alice.remind_by = "both"
    alice.save()
    device(push_service, alice, "phone")
    device(push_service, alice, "old-laptop", 410)
    device(push_service, alice, "tablet", 500)
    with time_machine.travel(REMINDER_TIME, tick=False):
        send_due()
        send_due()  # sent: the tablet's failure is not tried again
    assert push_service.problems == []
    assert sorted(path for path, _ in push_service.received) == [
        "/push/old-laptop",
        "/push/phone",
        "/push/tablet",
    ]
    assert list(PushSubscription.objects.values_list("device", flat=True)) == ["phone", "tablet"]
    assert Reminder.objects.get().sent_by == "email+push"
    assert len(mail.outbox) == 1


# --- Devices on the account page -----------------------------------------------------------


def test_without_keys_the_account_page_offers_no_push(client, alice):
    client.force_login(alice)
    page = client.get("/account/").content.decode()
    assert "push.js" not in page and "Devices that get reminders" not in page


def test_a_device_subscribes_is_listed_and_can_be_removed(client, vapid, alice, bob):
    client.force_login(alice)
    page = client.get("/account/").content.decode()
    assert f'data-key="{vapid}"' in page and "js/push.js" in page
    assert "Remind me on this device" in page
    browser = Browser()
    subscription = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/abc123",
        "p256dh": browser.p256dh,
        "auth": b64text(browser.auth),
    }
    android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile"
    response = client.post("/account/devices/", subscription, HTTP_USER_AGENT=android)
    assert response["Location"] == "/account/"
    page = text(client.get("/account/"))
    assert "Chrome on Android will get your reminders" in page
    assert "Chrome on Android (added" in page
    # The same browser subscribing again updates its row; bob cannot remove alice's device.
    client.post("/account/devices/", subscription, HTTP_USER_AGENT=android)
    phone = PushSubscription.objects.get()
    client.force_login(bob)
    assert client.post(f"/account/devices/{phone.pk}/remove/").status_code == 404
    client.force_login(alice)
    assert client.post(f"/account/devices/{phone.pk}/remove/")["Location"] == "/account/"
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"endpoint": "http://fcm.googleapis.com/fcm/send/abc"},  # not https
        {"endpoint": "https://127.0.0.1/push"},  # an address: nothing of Hipapp's own network
        {"endpoint": "https://localhost/push"},
        {"endpoint": "not a url"},
        {"p256dh": "not-a-key"},
        {"p256dh": b64text(b"\x04" + bytes(64))},  # not a point on the curve
        {"auth": b64text(bytes(8))},
        {"auth": ""},
    ],
)
def test_a_bad_subscription_gets_a_message_and_is_not_stored(client, vapid, alice, change):
    browser = Browser()
    subscription = {
        "endpoint": "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "p256dh": browser.p256dh,
        "auth": b64text(browser.auth),
    }
    client.force_login(alice)
    response = client.post("/account/devices/", subscription | change, follow=True)
    assert "This device could not be added" in text(response)
    assert not PushSubscription.objects.exists()


def test_the_account_page_runs_a_fixed_number_of_queries(client, vapid, alice):
    client.force_login(alice)
    expected = [
        "select accounts_user",  # the person (the session comes from the cache)
        "select reminders_pushsubscription",  # the devices that get reminders
        "select reminders_calendarfeed",  # is the calendar link on?
    ]
    assert queries(client, "/account/") == expected
    for n in range(12):
        PushSubscription.objects.create(
            user=alice, endpoint=f"https://push.example.net/{n}", p256dh="k", auth="a", device="X"
        )
    assert queries(client, "/account/") == expected
