"""Accounts: sign up, sign in and out, passwords, settings, export and deletion."""

import csv
import io
import json
import re
from datetime import time, timedelta

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import UserSession, normalize_email
from tests.conftest import PASSWORD, sent_mail, sign_in, text

User = get_user_model()


def signup(client, email="carol@example.com", password=PASSWORD, ip="127.0.0.1", **extra):
    data = {"email": email, "password1": password, "password2": password} | extra
    return client.post("/accounts/signup/", data, REMOTE_ADDR=ip)


def test_signing_up_creates_the_account_signs_in_and_lands_on_today(client, db):
    response = signup(client, email="Carol@Example.com", time_zone="America/Chicago")
    assert response.status_code == 302
    assert response["Location"] == "/today/"
    carol = User.objects.get()
    assert carol.email == "carol@example.com"
    assert carol.time_zone == "America/Chicago"
    assert client.get("/today/").status_code == 200


def test_signup_without_a_browser_time_zone_uses_utc(client, db):
    signup(client, time_zone="Mars/Olympus_Mons")
    assert User.objects.get().time_zone == "UTC"


def test_signup_refuses_an_email_already_taken_in_any_case(client, alice):
    response = signup(client, email="ALICE@example.com")
    assert response.status_code == 200
    assert "An account with this email address already exists" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "email",
    [
        "\uff41\uff4c\uff49\uff43\uff45@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com",
        " Alice@EXAMPLE.com\u00a0",
        "ALICE@example.com",
    ],
)
def test_signup_refuses_another_spelling_of_an_email_already_taken(client, alice, email):
    response = signup(client, email=email)
    assert "An account with this email address already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_signup_keeps_a_look_alike_apart_from_the_address_it_resembles(client, alice):
    signup(client, email="AL\u0131CE@example.com")  # a dotless ı: another mailbox
    assert set(User.objects.values_list("email", flat=True)) == {
        "alice@example.com",
        "al\u0131ce@example.com",
    }
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@given(st.text())
def test_an_email_has_one_spelling(text):
    once = normalize_email(text)
    assert normalize_email(once) == once
    assert once == once.strip()


def test_the_spelling_folds_width_and_case_but_not_look_alikes():
    assert normalize_email(" \uff21lice@Example.COM\u00a0") == "alice@example.com"
    assert normalize_email("STRASSE@example.com") == normalize_email("stra\u00dfe@example.com")
    assert normalize_email("al\u0131ce@example.com") != "alice@example.com"


def test_one_connection_may_try_ten_sign_ups_an_hour(client, alice):
    """Sign-up says when an address is taken, so probing addresses is limited instead."""
    for _ in range(9):
        signup(client, email=alice.email, ip="203.0.113.9")
    assert signup(client, ip="203.0.113.9").status_code == 302  # the tenth
    response = signup(Client(), email="dave@example.com", ip="203.0.113.9")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many sign-up attempts came from your connection" in html
    assert not User.objects.filter(email="dave@example.com").exists()
    response = signup(Client(), email="dave@example.com", ip="198.51.100.7")
    assert response["Location"] == "/today/"


def test_signup_refuses_a_weak_password_and_keeps_the_email(client, db):
    response = signup(client, password="password")
    html = response.content.decode()
    assert "This password is too common" in html
    assert 'value="carol@example.com"' in html
    assert not User.objects.exists()


def test_signing_in_with_email_lands_on_today_with_a_new_session_key(client, alice):
    client.get("/accounts/login/")
    before = client.cookies.get(settings.SESSION_COOKIE_NAME)
    response = sign_in(client, "ALICE@example.com")
    assert response.status_code == 302 and response["Location"] == "/today/"
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before is None or before.value != after


def test_a_wrong_password_gets_a_clear_message(client, alice):
    response = sign_in(client, alice.email, "not my password")
    assert response.status_code == 200
    assert "That email and password do not match an account" in response.content.decode()


def test_signing_out_needs_a_post(client, alice):
    client.force_login(alice)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/today/").status_code == 302  # back to the login page


def test_visitors_see_the_landing_page_and_people_go_to_today(client, alice):
    landing = client.get("/").content.decode()
    assert 'href="/accounts/signup/"' in landing and 'href="/drills/"' in landing
    client.force_login(alice)
    assert client.get("/")["Location"] == "/today/"


def test_changing_the_password_signs_out_the_other_sessions_only(alice):
    phone, laptop = Client(), Client()
    sign_in(phone, alice.email)
    sign_in(laptop, alice.email)
    response = laptop.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new passphrase 7",
            "new_password2": "a brand new passphrase 7",
        },
    )
    assert response["Location"] == "/accounts/password/change/done/"
    assert laptop.get("/account/").status_code == 200
    assert phone.get("/account/").status_code == 302


def test_a_person_staff_switch_off_is_signed_out_at_their_next_request(client, alice):
    sign_in(client, alice.email)
    assert client.get("/account/").status_code == 200
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert client.get("/account/")["Location"].startswith("/accounts/login/")


def test_an_expired_session_signs_the_person_out(client, alice):
    sign_in(client, alice.email)
    assert client.get("/account/").status_code == 200
    later = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    with time_machine.travel(later, tick=False):
        assert client.get("/account/")["Location"].startswith("/accounts/login/")


def test_a_browser_signed_in_as_someone_else_shows_them(client, alice, bob):
    client.force_login(alice)
    assert alice.email in client.get("/account/").content.decode()
    client.force_login(bob)
    page = client.get("/account/").content.decode()
    assert bob.email in page and alice.email not in page


def test_password_reset_sends_a_link_that_sets_a_new_password(client, alice):
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert len(sent_mail()) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)[1]
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(
        form_url,
        {"new_password1": "reset passphrase 99", "new_password2": "reset passphrase 99"},
    )
    assert response["Location"] == "/accounts/password/reset/done/"
    alice.refresh_from_db()
    assert alice.check_password("reset passphrase 99")


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert sent_mail() == []


SETTINGS = {
    "display_name": "Al",
    "time_zone": "Asia/Tokyo",
    "weekdays": ["1", "3", "5", "6"],
    "remind_at": "07:30",
    "remind_by": "email",
    "checkin_reminder": "on",
}


def test_settings_save_name_time_zone_plan_days_and_reminders(client, alice):
    client.force_login(alice)
    response = client.post("/account/", SETTINGS)
    assert response["Location"] == "/account/"
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone) == ("Al", "Asia/Tokyo")
    assert alice.plan_days == [1, 3, 5, 6]  # Tuesday, Thursday, Saturday, Sunday
    assert alice.days_per_week == 4  # what today's rest days and history's adherence read
    assert (alice.remind_at, alice.remind_by) == (time(7, 30), "email")
    assert alice.checkin_reminder
    page = client.get("/account/").content.decode()
    assert "Your settings are saved" in page
    zones = re.findall(r"<option value=\"([^\"]+)\"( selected)?>([^<]+)</option>", page)
    assert [zone for zone, chosen, _ in zones if chosen] == ["Asia/Tokyo"]
    assert ("America/Argentina/Buenos_Aires", "", "America/Argentina/Buenos Aires") in zones
    assert len(zones) > 400
    ticked = re.findall(r'name="weekdays" value="(\d)"[^>]*checked', page)
    assert ticked == ["1", "3", "5", "6"]
    assert 'value="07:30"' in page


def test_settings_without_push_keys_offer_email_reminders_only(client, alice):
    client.force_login(alice)
    page = text(client.get("/account/"))
    assert "By email" in page and "No reminders" in page
    assert "On my devices" not in page and "Remind me on this device" not in page
    # Someone who chose push before the keys were taken away is shown no reminders, not push.
    User.objects.filter(pk=alice.pk).update(remind_by="push")
    html = client.get("/account/").content.decode()
    assert re.search(r'value="none"[^>]*checked', html)


def test_fewer_plan_days_change_the_count_today_and_history_read(client, alice):
    client.force_login(alice)
    client.post("/account/", SETTINGS | {"weekdays": ["2"]})
    alice.refresh_from_db()
    assert (alice.plan_days, alice.days_per_week) == ([2], 1)


def test_the_count_of_plan_days_cannot_disagree_with_the_days_in_the_database(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=alice.pk).update(days_per_week=5)  # Mon/Wed/Fri is 3
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=alice.pk).update(weekdays=0, days_per_week=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=alice.pk).update(remind_by="fax")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("weekdays", [], "Choose at least one training day."),
        ("weekdays", ["7"], "Select a valid choice"),
        ("weekdays", ["Monday"], "Select a valid choice"),
        ("remind_at", "25:00", "Enter a time of day such as 07:30 or 18:00."),
        ("remind_at", "", "This field is required"),
        ("remind_by", "pigeon", "Select a valid choice"),
        ("remind_by", "push", "Select a valid choice"),  # push is offered only with VAPID keys
        ("time_zone", "Nowhere/Atlantis", "Select a valid choice"),
        ("display_name", "x" * 61, "at most 60 characters"),
    ],
)
def test_bad_settings_get_a_message_and_nothing_changes(client, alice, field, value, message):
    client.force_login(alice)
    response = client.post("/account/", SETTINGS | {field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert (alice.display_name, alice.time_zone) == ("Alice", "Europe/Berlin")
    assert (alice.plan_days, alice.remind_by) == ([0, 2, 4], "none")


def test_export_as_json_holds_only_the_persons_own_data(client, alice, bob):
    client.force_login(alice)
    response = client.get("/account/export/?format=json")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "alice@example.com"
    assert data["account"]["time_zone"] == "Europe/Berlin"
    assert "bob@example.com" not in response.content.decode()


def test_export_as_csv_opens_in_a_spreadsheet(client, catalog, alice, bob):
    from exercises.models import Drill
    from progress.models import SetEntry, TrainingSession

    drill = Drill.objects.get(slug="toe-tap")
    for owner, note in ((alice, "mine"), (bob, "bobs")):
        session = TrainingSession.objects.create(
            user=owner, drill=drill, day="2026-03-01", effort=4, pain=2, note=note
        )
        SetEntry.objects.create(session=session, position=1, seconds=40)
    client.force_login(alice)
    response = client.get("/account/export/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "field", "value"]
    assert ["account", "email", "alice@example.com"] in rows
    assert ["2026-03-01", "toe-tap", "1", "", "40", "both", "", "4", "2", "mine"] in rows
    assert not any("bobs" in row for row in rows)


@pytest.mark.parametrize(
    "note", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\r=1"]
)
def test_export_as_csv_keeps_formulas_as_text(client, catalog, alice, note):
    from exercises.models import Drill
    from progress.models import SetEntry, TrainingSession

    alice.display_name = "=cmd"
    alice.save()
    session = TrainingSession.objects.create(
        user=alice,
        drill=Drill.objects.get(slug="toe-tap"),
        day="2026-03-01",
        effort=4,
        pain=0,
        note=note,
    )
    SetEntry.objects.create(session=session, position=1, seconds=40, load="-")
    client.force_login(alice)
    rows = list(csv.reader(io.StringIO(client.get("/account/export/?format=csv").content.decode())))
    assert ["account", "display_name", "'=cmd"] in rows
    session_row = next(row for row in rows if row[:2] == ["2026-03-01", "toe-tap"])
    assert session_row[6] == "'-" and session_row[-1] == "'" + note
    assert (
        json.loads(client.get("/account/export/?format=json").content)["sessions"][0]["note"]
        == note
    )  # JSON is data, not a spreadsheet: left as written


def test_export_holds_the_morning_check_ins_and_when_the_red_flags_were_read(client, alice, bob):
    from datetime import date

    from progress.models import CheckIn

    alice.read_red_flags(date(2026, 3, 1))
    CheckIn.objects.record(alice, date(2026, 3, 2), pain=3, stiffness="worse")
    CheckIn.objects.skip(alice, date(2026, 3, 4))
    CheckIn.objects.record(bob, date(2026, 3, 2), pain=9, stiffness="same")
    client.force_login(alice)
    data = json.loads(client.get("/account/export/?format=json").content)
    assert data["account"]["red_flags_read_on"] == "2026-03-01"
    assert data["check_ins"] == [
        {"day": "2026-03-02", "pain": 3, "stiffness": "worse", "skipped": False},
        {"day": "2026-03-04", "pain": None, "stiffness": "", "skipped": True},
    ]
    rows = list(csv.reader(io.StringIO(client.get("/account/export/?format=csv").content.decode())))
    assert ["morning", "pain", "stiffness", "skipped"] in rows
    assert ["2026-03-02", "3", "worse", "False"] in rows
    assert not any("9" in row for row in rows if row[:1] == ["2026-03-02"])


def test_export_page_offers_both_formats(client, alice):
    client.force_login(alice)
    html = client.get("/account/export/").content.decode()
    assert 'href="?format=csv"' in html and 'href="?format=json"' in html


def test_deleting_needs_the_password_and_the_confirmation(client, alice):
    client.force_login(alice)
    response = client.post("/account/delete/", {"password": "wrong", "confirm": "on"})
    assert "That is not your current password" in response.content.decode()
    response = client.post("/account/delete/", {"password": PASSWORD})
    assert "This field is required" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()


def rows_mentioning(user_id, email):
    """Every row in every table that points at the person or holds their email."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                if model.objects.filter(**{field.attname: user_id}).exists():
                    found.append(f"{model.__name__}.{field.name}")
            elif (
                isinstance(field, models.CharField | models.TextField)
                and model.objects.filter(**{f"{field.name}__icontains": email}).exists()
            ):
                found.append(f"{model.__name__}.{field.name}")
    return found


def test_deleting_the_account_leaves_no_row_of_the_person_behind(client, alice, bob):
    other_device = Client()
    sign_in(other_device, alice.email)
    sign_in(Client(), alice.email, "a wrong guess")  # a failed sign-in is on record
    client.force_login(alice)
    assert rows_mentioning(alice.pk, alice.email) != []

    response = client.post("/account/delete/", {"password": PASSWORD, "confirm": "on"})

    assert response["Location"] == "/"
    assert rows_mentioning(alice.pk, alice.email) == []
    assert other_device.get("/account/").status_code == 302
    assert User.objects.filter(pk=bob.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_people_from_before_plan_days_get_a_spread_of_their_number():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("accounts", "0003_user_email_one_spelling")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("accounts", "User")
    for days in (1, 2, 3, 4, 7):
        old.objects.create(email=f"p{days}@example.com", days_per_week=days, password="!")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    plans = {user.days_per_week: user.plan_days for user in User.objects.all()}
    assert plans == {
        1: [2],  # Wednesday
        2: [0, 3],  # Monday, Thursday
        3: [0, 2, 4],  # Monday, Wednesday, Friday
        4: [0, 1, 3, 4],
        7: [0, 1, 2, 3, 4, 5, 6],
    }
    assert set(User.objects.values_list("remind_by", flat=True)) == {"none"}  # asked nobody yet


def test_deleting_the_account_signs_out_every_device(client, alice):
    from accounts.sessions import SessionStore, session_cache

    phone = Client()
    phone.force_login(alice)
    kept = SessionStore.cache_key_prefix + phone.session.session_key
    assert phone.get("/account/").status_code == 200
    assert session_cache().get(kept) is not None  # sessions are read through the cache
    client.force_login(alice)
    response = client.post("/account/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert session_cache().get(kept) is None
    assert not UserSession.objects.exists()
    assert phone.get("/account/").url.startswith("/accounts/login/")
