"""The next-morning check-in: asked on /today/ the day after training, read by the rule, shown
in history; pain of 7 or more shows when to stop."""

import re
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from progress.models import CheckIn, TrainingSession
from tests.conftest import follow, text

NOW = datetime(2026, 3, 18, 7, 30, tzinfo=ZoneInfo("Europe/Berlin"))  # a Wednesday morning
TODAY = date(2026, 3, 18)
YESTERDAY = TODAY - timedelta(days=1)
PAIN_REQUIRED = "Choose how much it hurt, from 0 (no pain) to 10 (the worst). Nothing was saved."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def log(user, drill, day, pain=1):
    sets = TrainingSession.prescribed_sets(drill)
    TrainingSession.objects.record(
        user, drill, token=uuid.uuid4(), day=day, effort=5, pain=pain, sets=sets
    )


def ready(user, slug="psoas-control"):
    """Three weeks on stage 2 with enough training days, the target hit each time: ready to
    move up."""
    followed = follow(user, slug, TODAY - timedelta(days=20), position=2)
    for week in range(3):
        for day in range(followed.stage.sessions_per_week):
            when = TODAY - timedelta(days=20) + timedelta(days=7 * week + 2 * day)
            log(user, followed.stage.drill, when, pain=0)
    for session in TrainingSession.objects.filter(user=user):
        stage = followed.stage
        session.sets.all().delete()
        session.sets.create(position=1, reps=stage.target_reps, side="left")
        session.sets.create(position=2, reps=stage.target_reps, side="right")
        session.sets.create(position=3, reps=stage.target_reps, side="left")
        session.sets.create(position=4, reps=stage.target_reps, side="right")
    user.data_changed()
    return followed


def today_page(client):
    return text(client.get("/today/"))


def test_the_morning_after_a_training_day_today_asks_first(client, catalog, alice):
    followed = follow(alice, "psoas-control", TODAY - timedelta(days=7))
    log(alice, followed.stage.drill, YESTERDAY)
    client.force_login(alice)
    page = today_page(client)
    assert page.index("How does it feel this morning?") < page.index("Next up")
    assert "Stiffness, compared with usual" in page and "Skip it this morning" in page
    html = client.get("/today/").content.decode()
    form = re.search(r'<form method="post" action="/today/check-in/".*?</form>', html, re.S)[0]
    assert re.search(r'value="same"[^>]*checked|checked[^>]*value="same"', form)  # the usual
    assert re.findall(r'name="pain" value="(\d+)"', form) == [str(n) for n in range(11)]


def test_no_question_without_training_yesterday(client, catalog, alice):
    followed = follow(alice, "psoas-control", TODAY - timedelta(days=7))
    log(alice, followed.stage.drill, TODAY - timedelta(days=2))
    log(alice, followed.stage.drill, TODAY)
    client.force_login(alice)
    assert "How does it feel this morning?" not in today_page(client)


def test_one_tap_answers_and_the_question_goes_away(client, catalog, alice):
    followed = follow(alice, "psoas-control", TODAY - timedelta(days=7))
    log(alice, followed.stage.drill, YESTERDAY)
    client.force_login(alice)
    response = client.post("/today/check-in/", {"stiffness": "same", "pain": "3"}, follow=True)
    assert "Thank you: 3/10 this morning, same as usual." in text(response)
    assert "How does it feel this morning?" not in text(response)
    answer = CheckIn.objects.get(user=alice)
    assert (answer.day, answer.week, answer.pain, answer.stiffness, answer.skipped) == (
        TODAY, date(2026, 3, 16), 3, "same", False,
    )  # fmt: skip


def test_a_skip_is_remembered_for_that_day_only(client, catalog, alice):
    followed = follow(alice, "psoas-control", TODAY - timedelta(days=7))
    log(alice, followed.stage.drill, YESTERDAY)
    client.force_login(alice)
    response = client.post("/today/check-in/", {"skip": "1"}, follow=True)
    assert "Skipped for this morning." in text(response)
    assert "How does it feel this morning?" not in text(response)
    assert CheckIn.objects.get(user=alice).skipped
    log(alice, followed.stage.drill, TODAY)
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert "How does it feel this morning?" in today_page(client)


def test_an_answer_replaces_a_skip_and_a_skip_never_replaces_an_answer(client, catalog, alice):
    client.force_login(alice)
    client.post("/today/check-in/", {"skip": "1"})
    client.post("/today/check-in/", {"stiffness": "worse", "pain": "2"})
    client.post("/today/check-in/", {"skip": "1"})
    answer = CheckIn.objects.get(user=alice)
    assert (answer.pain, answer.stiffness, answer.skipped) == (2, "worse", False)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"stiffness": "same"}, PAIN_REQUIRED),
        ({"stiffness": "same", "pain": ""}, PAIN_REQUIRED),
        ({"stiffness": "same", "pain": "11"}, "Select a valid choice"),
        ({"stiffness": "awful", "pain": "2"}, "Select a valid choice"),
        ({}, PAIN_REQUIRED),
    ],
)
def test_a_check_in_without_a_pain_answer_saves_nothing(client, catalog, alice, data, message):
    client.force_login(alice)
    response = client.post("/today/check-in/", data, follow=True)
    assert response.redirect_chain == [("/today/", 302)]
    assert message in text(response)
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"pain": 11, "stiffness": "same"},
        {"pain": None, "stiffness": "same"},
        {"pain": 3, "stiffness": ""},
        {"pain": 3, "stiffness": "awful"},
        {"pain": 3, "stiffness": "same", "skipped": True},
        {"pain": None, "stiffness": "", "week": TODAY + timedelta(days=1)},
    ],
)
def test_the_database_refuses_a_morning_neither_answered_nor_skipped(db, alice, values):
    values = {"week": date(2026, 3, 16), "skipped": values.get("pain") is None} | values
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(user=alice, day=TODAY, **values)


def test_the_database_keeps_one_morning_a_day(db, alice):
    CheckIn.objects.record(alice, TODAY, pain=1, stiffness="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(user=alice, day=TODAY, week=date(2026, 3, 16), skipped=True)


def test_a_sore_morning_holds_the_stage_in_plain_words(client, catalog, alice):
    ready(alice)
    client.force_login(alice)
    assert "Move up to stage 3" in today_page(client)
    client.post("/today/check-in/", {"stiffness": "same", "pain": "6"})
    page = today_page(client)
    assert "Your hip was 6/10 this morning: stay on this stage" in page
    assert "Move up to stage 3" not in page
    response = client.post("/tracks/psoas-control/advance/", follow=True)
    assert "Not yet: Your hip was 6/10 this morning" in text(response)


def test_a_stage_cannot_move_up_while_the_latest_morning_is_stiffer(client, catalog, alice):
    followed = ready(alice)
    client.force_login(alice)
    client.post("/today/check-in/", {"stiffness": "worse", "pain": "1"})
    assert "your hip felt stiffer than usual this morning" in today_page(client)
    response = client.post("/tracks/psoas-control/advance/", follow=True)
    assert "Not yet:" in text(response)
    followed.refresh_from_db()
    assert followed.stage.position == 2


def test_pain_of_seven_in_the_morning_shows_when_to_stop_and_suggests_pausing(
    client, catalog, alice
):
    followed = follow(alice, "psoas-control", TODAY - timedelta(days=7))
    follow(alice, "hip-flexion-ladder", TODAY - timedelta(days=7))
    log(alice, followed.stage.drill, YESTERDAY)
    client.force_login(alice)
    page = text(client.post("/today/check-in/", {"stiffness": "same", "pain": "7"}, follow=True))
    assert "Pain of 7/10 this morning" in page
    assert "Pain that travels down your leg" in page
    assert "Pause Hip flexion ladder" in page and "Pause Psoas control" in page
    client.post("/tracks/psoas-control/pause/")
    assert followed.__class__.objects.get(pk=followed.pk).state == "paused"


def test_pain_of_seven_in_a_drill_shows_when_to_stop_and_suggests_pausing_its_track(
    client, catalog, alice
):
    follow(alice, "psoas-control", TODAY - timedelta(days=7))
    follow(alice, "hip-flexion-ladder", TODAY - timedelta(days=7))
    client.force_login(alice)
    data = {"token": str(uuid.uuid4()), "prescribed": "1", "pain": "6"}
    assert "Pain of" not in text(client.post("/log/band-hurdle-hold/", data, follow=True))
    data = {"token": str(uuid.uuid4()), "prescribed": "1", "pain": "8"}
    page = text(client.post("/log/back-flattening/", data, follow=True))
    assert "Pain of 8/10 during Back flattening" in page
    assert "A hip that clicks and locks" in page
    assert "Pause Psoas control" in page and "Pause Hip flexion ladder" not in page


def test_history_shows_morning_pain_beside_pain_during_week_by_week(client, catalog, alice):
    followed = follow(alice, "psoas-control", TODAY - timedelta(days=21))
    log(alice, followed.stage.drill, date(2026, 3, 9), pain=2)
    log(alice, followed.stage.drill, date(2026, 3, 11), pain=4)
    CheckIn.objects.record(alice, date(2026, 3, 10), pain=1, stiffness="same")
    CheckIn.objects.record(alice, date(2026, 3, 12), pain=5, stiffness="worse")
    CheckIn.objects.skip(alice, date(2026, 3, 17))
    log(alice, followed.stage.drill, date(2026, 3, 16), pain=1)
    client.force_login(alice)
    page = text(client.get("/history/"))
    table = page[page.index("Pain, week by week") : page.index("Training days, last twelve")]
    assert "Mar 16 (this week) 1/10 – none given" in table
    assert "Mar 9 4/10 5/10" in table
    assert "Mar 2 – none logged – none given" in table
