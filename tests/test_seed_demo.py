"""`manage.py seed_demo`: a demo person (and a crowd) with a believable training history."""

import hashlib
import itertools
from collections import defaultdict
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from exercises.models import Track
from progress import demo
from progress.models import FollowedTrack, SetEntry, StageChange, TrainingSession

TODAY = date(2026, 3, 18)  # a Wednesday


def seed(command_args=(), **kwargs):
    out = StringIO()
    call_command("seed_demo", *command_args, stdout=out, **kwargs)
    return out.getvalue()


def training_days(user):
    return sorted(set(TrainingSession.objects.for_user(user).values_list("day", flat=True)))


def digest(user):
    """Everything a person would see of their history, without keys or timestamps."""
    sessions = TrainingSession.objects.for_user(user).with_sets().order_by("day", "drill__slug")
    changes = StageChange.objects.filter(followed__user=user).select_related(
        "followed__track", "to_stage"
    )
    lines = [
        (
            s.day,
            s.drill.slug,
            s.pain,
            s.effort,
            s.note,
            [(x.position, x.reps, x.seconds, x.side) for x in s.sets.all()],
        )
        for s in sessions
    ]
    lines += [
        (c.followed.track.slug, c.kind, c.day, c.to_stage.position, c.counted_weeks)
        for c in changes
    ]
    return hashlib.sha256(repr(lines).encode()).hexdigest()


@pytest.fixture
def half_year(catalog):
    return demo.seed_person("demo@hipapp.test", "pw", weeks=26, days_per_week=3, today=TODAY)


def test_the_history_covers_the_weeks_asked_for_and_ends_today(catalog):
    user = demo.seed_person("demo@hipapp.test", "pw", weeks=4, days_per_week=3, today=TODAY)
    days = training_days(user)
    first = TODAY - timedelta(days=27)
    assert days[0] == first and days[-1] == TODAY
    for week in range(4):
        start = first + timedelta(weeks=week)
        in_week = [d for d in days if start <= d < start + timedelta(days=7)]
        assert 2 <= len(in_week) <= 5  # about three days a week
    tracks_with_stages = Track.objects.filter(stages__isnull=False).distinct().count()
    assert FollowedTrack.objects.for_user(user).count() == tracks_with_stages
    assert user.time_zone == "Europe/London" and user.check_password("pw")


def test_sets_follow_the_drills_dose(half_year):
    sessions = TrainingSession.objects.for_user(half_year).with_sets()
    for session in sessions:
        drill, sets = session.drill, list(session.sets.all())
        assert sets and [s.position for s in sets] == list(range(1, len(sets) + 1))
        assert len(sets) >= drill.sets * (2 if drill.per_side else 1)
        for entry in sets:
            amount = entry.seconds if drill.is_timed else entry.reps
            assert amount is not None and amount > 0
        if drill.per_side:
            sides = [s.side for s in sets]
            assert sides.count("left") == sides.count("right") == len(sets) // 2
        assert 3 <= session.effort <= 8 and 0 <= session.pain <= 10


def test_numbers_grow_toward_and_past_the_target(half_year):
    change = StageChange.objects.filter(
        followed__user=half_year, kind=StageChange.Kind.ADVANCE
    ).first()
    stage = change.from_stage
    field = "seconds" if stage.drill.is_timed else "reps"
    target = stage.target_seconds if stage.drill.is_timed else stage.target_reps
    sessions = TrainingSession.objects.for_user(half_year).filter(drill=stage.drill)
    best = [max(getattr(s, field) for s in x.sets.all()) for x in sessions.order_by("day")]
    assert best[0] <= target and max(best) >= target
    assert best[0] < max(best)


def test_stage_changes_follow_the_rule(half_year):
    followed = FollowedTrack.objects.for_user(half_year).select_related("stage")
    for track in followed:
        changes = list(track.changes.select_related("from_stage", "to_stage"))
        assert changes[0].kind == StageChange.Kind.START and changes[0].from_stage is None
        assert changes[-1].to_stage == track.stage and changes[-1].day == track.stage_started
        for before, change in itertools.pairwise(changes):
            assert change.from_stage == before.to_stage and change.day > before.day
            if change.kind == StageChange.Kind.ADVANCE:
                assert change.to_stage.position == change.from_stage.position + 1
                assert change.counted_weeks >= change.from_stage.min_weeks
            else:
                assert change.kind == StageChange.Kind.STEP_BACK
                assert change.to_stage.position == change.from_stage.position - 1
                assert "Pain was" in change.reason
    kinds = StageChange.objects.filter(followed__user=half_year).values_list("kind", flat=True)
    assert StageChange.Kind.ADVANCE in kinds and StageChange.Kind.STEP_BACK in kinds


def test_half_a_year_has_pain_days_notes_warm_ups_and_a_break(half_year):
    sessions = TrainingSession.objects.for_user(half_year)
    assert sessions.filter(pain__gte=4).count() >= 3
    assert sessions.exclude(note="").exists()
    assert sessions.filter(drill__stages__isnull=True).exists()  # a stand-alone warm-up
    days = training_days(half_year)
    assert max((b - a).days for a, b in itertools.pairwise(days)) > 8  # a week or more off


def test_training_every_day_logs_every_current_drill_every_day(catalog):
    user = demo.seed_person("daily@hipapp.test", "pw", weeks=156, days_per_week=7, today=TODAY)
    logged = set(TrainingSession.objects.for_user(user).values_list("drill_id", "day"))
    assert len({day for _, day in logged}) == 156 * 7
    changes = StageChange.objects.filter(followed__user=user).select_related("to_stage")
    by_track = defaultdict(list)
    for change in changes:
        by_track[change.followed_id].append(change)
    for track_changes in by_track.values():
        for change, after in itertools.zip_longest(track_changes, track_changes[1:]):
            until = after.day if after else TODAY + timedelta(days=1)
            day = change.day
            while day < until:
                assert (change.to_stage.drill_id, day) in logged
                day += timedelta(days=1)
    assert not FollowedTrack.objects.for_user(user).exclude(state="active").exists()


def test_the_same_seed_gives_the_same_history(catalog):
    first = demo.seed_person("one@hipapp.test", "pw", weeks=10, today=TODAY, seed=7)
    again = demo.seed_person("two@hipapp.test", "pw", weeks=10, today=TODAY, seed=7)
    other = demo.seed_person("three@hipapp.test", "pw", weeks=10, today=TODAY, seed=8)
    assert digest(first) == digest(again) != digest(other)


def test_the_command_prints_how_to_sign_in(catalog):
    output = seed(["--weeks", "2"])
    user = get_user_model().objects.get(email="demo@hipapp.test")
    assert training_days(user)[-1] == timezone.localdate(timezone=user.zone)
    sessions = TrainingSession.objects.for_user(user).count()
    assert f"{sessions} sessions" in output
    assert (
        "Sign in at http://127.0.0.1:8000/accounts/login/ as demo@hipapp.test "
        "with password hip-flexors-demo"
    ) in output


def test_an_existing_person_is_kept_unless_replaced(catalog):
    seed(["--weeks", "2", "--email", "Sam@Hipapp.test"])
    user = get_user_model().objects.get(email="sam@hipapp.test")
    before = set(TrainingSession.objects.for_user(user).values_list("pk", flat=True))

    output = seed(["--weeks", "3", "--email", "sam@hipapp.test"])

    assert "already exists" in output and "--replace" in output
    assert set(TrainingSession.objects.for_user(user).values_list("pk", flat=True)) == before

    seed(["--weeks", "3", "--email", "sam@hipapp.test", "--replace"])

    rebuilt = get_user_model().objects.get(email="sam@hipapp.test")
    assert rebuilt.pk != user.pk
    assert training_days(rebuilt)[0] == training_days(rebuilt)[-1] - timedelta(days=20)
    assert not TrainingSession.objects.filter(pk__in=before).exists()


def test_a_crowd_can_sign_in(client, catalog):
    output = seed(["--weeks", "1", "--crowd", "3", "--password", "crowd pass 1"])

    assert "Created 3 crowd people" in output
    people = get_user_model().objects.filter(email__startswith="crowd-").order_by("email")
    assert [p.email for p in people] == [f"crowd-000{n}@hipapp.test" for n in (1, 2, 3)]
    for person in people:
        days, today = training_days(person), timezone.localdate(timezone=person.zone)
        assert 1 <= FollowedTrack.objects.for_user(person).count() <= 2
        assert today - timedelta(weeks=6) < days[0] <= today - timedelta(weeks=2, days=-1)
        assert days[-1] <= today
        assert SetEntry.objects.filter(session__user=person).exists()
    # Through the login page: client.login() cannot pass django-axes the request it needs.
    response = client.post(
        "/accounts/login/", {"username": "crowd-0002@hipapp.test", "password": "crowd pass 1"}
    )
    assert response.status_code == 302 and response["Location"] == "/today/"
    assert client.get("/today/").status_code == 200


def test_without_a_catalog_the_command_says_what_to_do(db):
    with pytest.raises(CommandError, match="Load the catalog first: manage.py load_catalog"):
        seed()
    assert not get_user_model().objects.exists()


def test_nonsense_options_are_refused(catalog):
    with pytest.raises(CommandError):
        seed(["--weeks", "0"])
    with pytest.raises(CommandError):
        seed(["--days-per-week", "8"])


def test_make_run_creates_the_demo_person_only_on_a_debug_server(catalog, settings):
    settings.DEBUG = False
    assert seed(["--weeks", "2", "--if-debug"]) == ""
    assert not get_user_model().objects.filter(email=demo.DEMO_EMAIL).exists()
    settings.DEBUG = True
    first = seed(["--weeks", "2", "--if-debug"])
    assert f"as {demo.DEMO_EMAIL} with password {demo.DEMO_PASSWORD}" in first
    again = seed(["--weeks", "2", "--if-debug"])  # the next `make run` says how to sign in again
    assert "already exists" in again and f"as {demo.DEMO_EMAIL} with password" in again
