"""Self-tests: taken, replaced the same day, edited, deleted, offered on today, exported."""

import csv
import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from exercises import snapshot
from progress.models import SelfTest, StageChange
from tests.conftest import TODAY, follow, queries, sessions, text

BERLIN = ZoneInfo("Europe/Berlin")


def answers(**values):
    return {"day": TODAY.isoformat(), "knee_left": "", "knee_right": "", "leg_lift": "",
            "everyday": ""} | {k: str(v) for k, v in values.items()}  # fmt: skip


def test_the_form_explains_each_test_and_names_the_leg_lift_stages(client, catalog, alice, frozen):
    client.force_login(alice)
    response = client.get("/self-tests/new/")
    page = text(response)
    assert "Standing knee-raise hold" in page and "up to 60 seconds" in page
    assert "Stage 1: Back flattening" in page and "Stage 4: Straighter-leg lift" in page
    assert "None of them cleanly yet" in page
    html = response.content.decode()
    # Without scripts the holds are typed in; with them, self-test.js times them.
    assert 'name="knee_left"' in html and 'type="number"' in html and 'max="60"' in html
    assert "js/self-test" in html and 'type="module"' in html


def test_a_self_test_is_saved_for_the_day_and_listed(client, catalog, alice, frozen):
    client.force_login(alice)
    response = client.post(
        "/self-tests/new/", answers(knee_left=30, knee_right=40, leg_lift=2, everyday=6)
    )
    assert response["Location"] == "/self-tests/"
    test = SelfTest.objects.get(user=alice)
    assert (test.day, test.knee_left, test.knee_right, test.leg_lift, test.everyday) == (
        TODAY, 30, 40, 2, 6
    )  # fmt: skip
    page = text(client.get("/self-tests/"))
    assert "Your self-test for Wednesday, Nov 18 is saved." in page
    assert "Nov 18, 2026 30 s 40 s 25% (left weaker) 2 of 4 6/10" in page
    assert "In your latest knee-raise test, your left side holds 25% less: start each set" in page


def test_a_second_test_the_same_day_replaces_the_first(client, catalog, alice, frozen):
    client.force_login(alice)
    client.post("/self-tests/new/", answers(knee_left=30, knee_right=40))
    assert "You took the self-test today already" in text(client.get("/self-tests/new/"))
    client.post("/self-tests/new/", answers(knee_left=35, knee_right=38, everyday=7))
    test = SelfTest.objects.get(user=alice)
    assert (test.knee_left, test.knee_right, test.everyday) == (35, 38, 7)
    assert "is updated with these numbers" in text(client.get("/self-tests/"))


def test_a_side_left_out_is_saved_without_a_gap(client, catalog, alice, frozen):
    client.force_login(alice)
    client.post("/self-tests/new/", answers(knee_right=0, leg_lift=0))
    assert SelfTest.objects.get(user=alice).knee_left is None
    page = text(client.get("/self-tests/"))
    assert "– 0 s – 0 of 4 –" in page
    assert "start each set" not in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "Fill in at least one of the tests. Nothing was saved."),
        ({"knee_left": 61}, "less than or equal to 60"),
        ({"knee_right": -1}, "greater than or equal to 0"),
        ({"leg_lift": 5}, "Select a valid choice"),
        ({"everyday": 11}, "Select a valid choice"),
        ({"everyday": 5, "day": "2026-11-19"}, "That date is in the future"),
    ],
)
def test_bad_answers_save_nothing_and_say_why(client, catalog, alice, frozen, values, message):
    client.force_login(alice)
    response = client.post("/self-tests/new/", answers(**values))
    assert response.status_code == 200
    assert message in text(response)
    assert not SelfTest.objects.exists()


def test_the_database_refuses_out_of_range_and_empty_tests(alice):
    from django.db import IntegrityError, transaction

    for values in ({"knee_left": 61}, {"leg_lift": 5}, {"everyday": 11}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            SelfTest.objects.create(user=alice, day=TODAY, **values)


def test_a_self_test_can_be_edited_and_deleted_by_its_owner(client, catalog, alice, frozen):
    test = SelfTest.objects.create(user=alice, day=TODAY - timedelta(days=3), knee_left=20)
    other = SelfTest.objects.create(user=alice, day=TODAY, everyday=5)
    client.force_login(alice)
    edit = f"/self-tests/{test.pk}/edit/"
    assert "Delete this self-test" in text(client.get(edit))
    data = answers(knee_left=22, knee_right=25, day=test.day.isoformat())
    assert client.post(edit, data)["Location"] == "/self-tests/"
    test.refresh_from_db()
    assert (test.knee_left, test.knee_right) == (22, 25)
    # Moving it onto the day of another test is refused: that one is edited instead.
    response = client.post(edit, data | {"day": TODAY.isoformat()})
    assert "There is a self-test on that day already" in text(response)
    client.post(f"/self-tests/{other.pk}/delete/")
    assert list(SelfTest.objects.values_list("pk", flat=True)) == [test.pk]


def test_another_persons_self_test_is_a_404(client, catalog, alice, bob, frozen):
    test = SelfTest.objects.create(user=alice, day=TODAY, knee_left=20)
    client.force_login(bob)
    assert client.get(f"/self-tests/{test.pk}/edit/").status_code == 404
    assert client.post(f"/self-tests/{test.pk}/edit/", answers(everyday=1)).status_code == 404
    assert client.post(f"/self-tests/{test.pk}/delete/").status_code == 404
    assert SelfTest.objects.get().knee_left == 20
    assert "No self-test yet" in text(client.get("/self-tests/"))


def test_the_list_says_how_each_measure_moved_since_the_first_test(client, catalog, alice, frozen):
    SelfTest.objects.create(user=alice, day=TODAY - timedelta(weeks=8), knee_left=20,
                            knee_right=24, leg_lift=1, everyday=4)  # fmt: skip
    SelfTest.objects.create(user=alice, day=TODAY, knee_left=38, knee_right=40, leg_lift=3,
                            everyday=7)  # fmt: skip
    client.force_login(alice)
    page = text(client.get("/self-tests/"))
    assert "Knee-raise hold, average of both sides: 39 s, up from 22 s" in page
    assert "Leg-lift control: 3 of 4, up from 1 of 4" in page
    assert "Everyday hips: 7/10, up from 4/10" in page
    assert "start each set" not in page  # 38 against 40 is level enough


def test_saving_shows_on_cached_pages_at_once(client, catalog, alice, frozen):
    follow(alice, "psoas-control", TODAY - timedelta(days=3))
    client.force_login(alice)
    assert "Time for a self-test" in text(client.get("/today/"))
    client.post("/self-tests/new/", answers(everyday=6))
    assert "Time for a self-test" not in text(client.get("/today/"))
    client.post(f"/self-tests/{SelfTest.objects.get().pk}/delete/")
    assert "Time for a self-test" in text(client.get("/today/"))


# --- offered on today -------------------------------------------------------------------------


def offered(client, when):
    with time_machine.travel(when, tick=False):
        return "Time for a self-test" in text(client.get("/today/"))


def test_today_offers_the_test_four_weeks_after_the_last(client, catalog, alice):
    follow(alice, "psoas-control", date(2026, 10, 1))
    SelfTest.objects.create(user=alice, day=date(2026, 11, 1), everyday=5)
    client.force_login(alice)
    assert "Self-tests: is it working?" in text(client.get("/today/"))  # always, on demand
    assert not offered(client, datetime(2026, 11, 28, 12, tzinfo=BERLIN))
    assert offered(client, datetime(2026, 11, 29, 12, tzinfo=BERLIN))


def test_today_offers_the_test_when_a_stage_is_complete(client, catalog, alice, frozen):
    started = TODAY - timedelta(days=24)  # the fourth week of the stage has begun
    followed = follow(alice, "psoas-control", started)
    stage = followed.stage
    values = (stage.target_seconds or stage.target_reps,) * (stage.target_sets * 2)
    days = [started + timedelta(days=n) for n in range(25) if n % 7 < 3]
    SelfTest.objects.create(user=alice, day=started - timedelta(days=2), everyday=5)
    client.force_login(alice)
    assert "Time for a self-test" not in text(client.get("/today/"))  # tested 26 days ago
    sessions(alice, stage.drill, days, values=values)
    alice.data_changed()
    page = text(client.get("/today/"))
    assert "Move up to stage 2" in page and "Time for a self-test" in page
    assert not StageChange.objects.filter(kind="advance").exists()


# --- export and queries -----------------------------------------------------------------------


def test_self_tests_are_exported_as_json_and_csv(client, alice, bob):
    SelfTest.objects.create(user=alice, day=date(2026, 3, 2), knee_left=30, knee_right=None,
                            leg_lift=2, everyday=6)  # fmt: skip
    SelfTest.objects.create(user=alice, day=date(2026, 3, 30), everyday=7)
    SelfTest.objects.create(user=bob, day=date(2026, 3, 2), knee_left=59)
    client.force_login(alice)
    data = json.loads(client.get("/account/export/?format=json").content)
    assert data["self_tests"] == [
        {"day": "2026-03-02", "knee_raise_left_seconds": 30, "knee_raise_right_seconds": None,
         "leg_lift_stage": 2, "everyday_hips": 6},
        {"day": "2026-03-30", "knee_raise_left_seconds": None, "knee_raise_right_seconds": None,
         "leg_lift_stage": None, "everyday_hips": 7},
    ]  # fmt: skip
    rows = list(csv.reader(io.StringIO(client.get("/account/export/?format=csv").content.decode())))
    assert [
        "self-test",
        "knee raise left (s)",
        "knee raise right (s)",
        "leg-lift stage (0-4)",
        "everyday hips (0-10)",
    ] in rows
    assert ["2026-03-02", "30", "", "2", "6"] in rows
    assert ["2026-03-30", "", "", "", "7"] in rows
    assert not any("59" in row for row in rows)


def test_the_self_test_pages_run_a_fixed_number_of_queries(client, catalog, alice, frozen):
    snapshot.catalog()
    client.force_login(alice)
    signed_in = ["select accounts_user"]  # the session itself comes from the cache
    expected = {
        "/self-tests/": signed_in + ["select progress_selftest"],
        "/self-tests/new/": signed_in + ["select progress_selftest"],  # taken today already?
    }
    for url, names in expected.items():
        assert queries(client, url) == names, url
    for n in range(40):
        SelfTest.objects.create(user=alice, day=TODAY - timedelta(weeks=4 * n), everyday=n % 11)
    for url, names in expected.items():
        assert queries(client, url) == names, url
    assert text(client.get("/self-tests/")).count("Edit the self-test of") == 24


def test_the_demo_person_takes_a_self_test_every_four_weeks(catalog):
    from progress import demo

    person = demo.seed_person("dana@example.com", weeks=9, today=TODAY)
    tests = list(SelfTest.objects.filter(user=person).order_by("day"))
    assert [t.day for t in tests] == [tests[0].day + timedelta(weeks=4 * n) for n in range(3)]
    assert all(t.knee_left < t.knee_right <= 60 for t in tests)
    assert tests[-1].knee_right > tests[0].knee_right
