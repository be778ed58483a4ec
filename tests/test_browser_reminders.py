"""Reminders in headless Chromium: plan days and reminder settings, a device subscribing
through static/js/push.js and the real /sw.js, and the service worker showing a push."""

import json

import pytest
from playwright.sync_api import expect

from reminders.models import PushSubscription
from tests.conftest import sign_in

pytestmark = pytest.mark.browser

# The browser's push service cannot be reached from here: subscribe() answers as a browser's
# does, with a subscription whose keys the server checks. Everything else is the real page.
FAKE_SUBSCRIBE = """
PushManager.prototype.subscribe = async function (options) {
  window.subscribedWithKey = options.applicationServerKey.byteLength;
  const subscription = %s;
  return { toJSON: () => subscription };
};
"""


def test_choose_plan_days_and_reminders(page, alice):
    sign_in(page, alice)
    page.goto("/account/")
    for day in ("Monday", "Wednesday", "Friday"):
        expect(page.get_by_label(day)).to_be_checked()
    page.get_by_label("Wednesday").uncheck()
    page.get_by_label("Saturday").check()
    page.get_by_label("Reminder time").fill("07:15")
    page.get_by_label("By email", exact=True).check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your settings are saved")).to_be_visible()
    alice.refresh_from_db()
    assert (alice.plan_days, alice.days_per_week, alice.remind_by) == ([0, 4, 5], 3, "email")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        page.get_by_label(day).uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Choose at least one training day.")).to_be_visible()


def test_remind_me_on_this_device_registers_the_worker_and_stores_the_device(
    make_page, live_server, vapid, alice
):
    page = make_page()
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    subscription = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/browser-test",
        "keys": {
            "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazA"
            "kj7I99e8QcYP7DkM",
            "auth": "tBHItJI5svbpez7KI4CCXg",
        },
    }
    page.add_init_script(FAKE_SUBSCRIBE % json.dumps(subscription))
    sign_in(page, alice)
    page.goto("/account/")
    page.get_by_role("button", name="Remind me on this device").click()
    expect(page.get_by_text("will get your reminders")).to_be_visible()
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == live_server.url + "/"
    # The DevTools protocol names the worker's registration (to send it a push below): enabled
    # once the worker is ready, it reports the registration before `enable` returns.
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    device = PushSubscription.objects.get(user=alice)
    assert device.endpoint == subscription["endpoint"]
    assert device.device.startswith("Chrome")
    expect(page.get_by_role("button", name=f"Remove {device.device}", exact=False)).to_be_visible()

    # The worker shows a push as a notification that opens the player.
    registration = next(r for r in registrations if r["scopeURL"] == live_server.url + "/")
    message = {"title": "Training day: Back flattening", "body": "Next up.", "url": "/today/"}
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(message),
        },
    )
    page.wait_for_function(
        "async () => (await (await navigator.serviceWorker.ready).getNotifications()).length"
    )
    shown = page.evaluate(
        "navigator.serviceWorker.ready.then(r => r.getNotifications())"
        ".then(ns => ns.map(n => [n.title, n.body, n.data.url]))"
    )
    assert shown == [["Training day: Back flattening", "Next up.", "/today/"]]

    page.get_by_role("button", name=f"Remove {device.device}", exact=False).click()
    expect(page.get_by_text("That device will get no more reminders")).to_be_visible()
    assert not PushSubscription.objects.exists()


def test_blocked_notifications_say_how_to_allow_them(make_page, live_server, vapid, alice):
    page = make_page()
    sign_in(page, alice)
    page.goto("/account/")
    page.evaluate("Notification.requestPermission = async () => 'denied'")
    page.get_by_role("button", name="Remind me on this device").click()
    expect(page.get_by_text("Notifications are blocked for this site")).to_be_visible()
    assert not PushSubscription.objects.exists()
