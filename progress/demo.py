"""Demo people with a realistic training history, for screenshots, tests and benchmarks.

`seed_person` builds one person, `seed_crowd` many people with a few weeks each. A history is
simulated day by day the way the app records it: on a training day the person logs the current
drill of every active track (and now and then a warm-up); at the end of the day the progression
rule is asked about each track, and when it allows a move the person moves the next day, as if
they had pressed the button on the Today page. Rows are built in memory and bulk-created.

The same seed and the same `today` give the same data (primary keys and creation times aside).
"""

import random
import uuid
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import spread
from exercises.models import Drill, Stage, Track

from . import rules
from .models import (
    KNEE_RAISE_CAP,
    REPS_MAX,
    SECONDS_MAX,
    FollowedTrack,
    SelfTest,
    SetEntry,
    StageChange,
    TrainingSession,
)
from .progression import stage_spec

DEMO_EMAIL = "demo@hipapp.test"
DEMO_PASSWORD = "hip-flexors-demo"
DEMO_NAME = "Demo"
DEMO_TIME_ZONE = "Europe/London"
CROWD_EMAIL = "crowd-{:04d}@hipapp.test"
CROWD_TIME_ZONES = [
    "Europe/London", "Europe/Berlin", "Europe/Madrid", "America/New_York",
    "America/Los_Angeles", "Australia/Sydney", "Asia/Kolkata", "UTC",
]  # fmt: skip
CROWD_NAMES = [
    "Ana", "Ben", "Chloe", "Dev", "Emma", "Femi", "Greta", "Hiro", "Ines", "Jonas",
    "Kofi", "Lena", "Marco", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq",
]  # fmt: skip
NOTES = [
    "Felt easy today.",
    "Hips stiff this morning, better after the warm-up.",
    "Short on time, kept it quick.",
    "Good session.",
    "Left side felt weaker.",
    "Slept badly, took longer rests.",
    "Did it after a run.",
]
PAIN_NOTES = ["Front of the hip was sore.", "Pinching at the top of the lift.", "Groin ached."]

PAIN_DAY_CHANCE = 0.035  # a session with pain 4-5 out of the blue: the rule holds
NOTE_CHANCE = 0.05
WARM_UP_CHANCE = 0.2
BATCH_SIZE = 2000


class EmptyCatalog(Exception):
    """There is nothing to follow: no track has stages."""

    def __init__(self):
        super().__init__("Load the catalog first: manage.py load_catalog")


@dataclass(frozen=True)
class Catalog:
    tracks: list[Track]  # tracks with stages, in page order
    stages: dict[int, dict[int, Stage]]  # track id -> position -> stage (drills loaded)
    specs: dict[int, rules.StageSpec]  # stage id -> what the rule needs
    warm_ups: list[Drill]


def load_catalog() -> Catalog:
    tracks = [track for track in Track.objects.with_stages() if track.stages.all()]
    if not tracks:
        raise EmptyCatalog
    stages = {track.pk: {s.position: s for s in track.stages.all()} for track in tracks}
    specs = {
        stage.pk: stage_spec(stage, len(by_position))
        for by_position in stages.values()
        for stage in by_position.values()
    }
    return Catalog(tracks, stages, specs, list(Drill.objects.standalone().order_by("slug")))


@dataclass
class Rows:
    """Everything to insert, in an order that lets each bulk_create see its parents' pks."""

    followed: list[FollowedTrack] = field(default_factory=list)
    changes: list[StageChange] = field(default_factory=list)
    sessions: list[TrainingSession] = field(default_factory=list)
    sets: list[SetEntry] = field(default_factory=list)

    def save(self):
        for model, objs in [
            (FollowedTrack, self.followed),
            (StageChange, self.changes),
            (TrainingSession, self.sessions),
            (SetEntry, self.sets),
        ]:
            model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        for user in {session.user for session in self.sessions}:
            TrainingSession.objects.summarise(user)


@dataclass
class Plan:
    """The shape of one person's history, decided before it is simulated."""

    first: date
    today: date
    days_per_week: int
    starts: list[tuple[Track, date, str]]
    training: set[date]
    pauses: dict[int, date] = field(default_factory=dict)  # track id -> the day it is paused
    pain_streaks: list[date] = field(default_factory=list)  # from these days, two sore sessions


@dataclass
class Following:
    row: FollowedTrack
    stages: dict[int, Stage]
    sore: list[int] = field(default_factory=list)  # pains of the next sessions (a pain streak)
    last_pain: int = 0


class History:
    """Simulates one person's days and adds the rows to `rows`."""

    def __init__(self, catalog: Catalog, rows: Rows, user, plan: Plan, rng: random.Random):
        self.catalog, self.rows, self.user, self.plan, self.rng = catalog, rows, user, plan, rng
        self.following: list[Following] = []
        self.done: dict[int, int] = defaultdict(int)  # stage id -> sessions logged on it
        self.ramp: dict[int, int] = {}  # stage id -> sessions this person needs to hit the target
        self.logs: dict[int, list[rules.SessionLog]] = defaultdict(list)  # drill id -> by day
        self.log_days: dict[int, list[date]] = defaultdict(list)  # drill id -> the same days
        self.weak_side = rng.choice([SetEntry.Side.LEFT, SetEntry.Side.RIGHT])
        self.last_trained: date | None = None

    def run(self):
        plan = self.plan
        streaks = sorted(plan.pain_streaks)
        day = plan.first
        while day <= plan.today:
            for track, started, reason in plan.starts:
                if started == day:
                    self.follow(track, day, reason)
            for following in self.following:
                if plan.pauses.get(following.row.track_id) == day:
                    following.row.state = FollowedTrack.State.PAUSED
            if day in plan.training:
                active = [f for f in self.following if f.row.state == FollowedTrack.State.ACTIVE]
                if streaks and streaks[0] <= day and self.start_pain_streak(active):
                    streaks.pop(0)
                self.train(day, active)
                if day < plan.today:  # a move decided today would happen tomorrow
                    for following in active:
                        self.decide(following, day)
            day += timedelta(days=1)

    def follow(self, track: Track, day: date, reason: str):
        stages = self.catalog.stages[track.pk]
        first = stages[min(stages)]
        row = FollowedTrack(user=self.user, track=track, stage=first, stage_started=day)
        self.rows.followed.append(row)
        self.rows.changes.append(
            StageChange(
                followed=row, to_stage=first, kind=StageChange.Kind.START, day=day, reason=reason
            )
        )
        self.following.append(Following(row, stages))

    def start_pain_streak(self, active: list[Following]) -> bool:
        """Two sore sessions in a row on a track past stage 1: the rule will step it back."""
        candidates = [
            f
            for f in active
            if f.row.stage.position > 1 and not f.sore and f.last_pain <= rules.MAX_COMFORTABLE_PAIN
        ]
        if not candidates:
            return False
        rng = self.rng
        rng.choice(candidates).sore = [rng.choice((4, 5)), rng.choice((5, 6))]
        return True

    def train(self, day: date, active: list[Following]):
        if self.last_trained and (day - self.last_trained).days > 7:
            for following in active:  # back from a break: a little weaker than before
                stage_id = following.row.stage_id
                self.done[stage_id] -= self.done[stage_id] // 4
        self.last_trained = day
        rng = self.rng
        if self.catalog.warm_ups and rng.random() < WARM_UP_CHANCE:
            self.warm_up(day, rng.choice(self.catalog.warm_ups))
        logged = set()
        for following in active:
            stage = following.row.stage
            if stage.drill_id in logged:  # two tracks at the same drill: one session serves both
                continue
            logged.add(stage.drill_id)
            pain = self.pain(following)
            sets = self.sets(stage, pain)
            effort = min(8, max(3, 5 + rng.choice((-2, -1, 0, 0, 1, 2)) + int(pain > 3)))
            note = ""
            if pain > 3 and rng.random() < 0.5:
                note = rng.choice(PAIN_NOTES)
            elif rng.random() < NOTE_CHANCE:
                note = rng.choice(NOTES)
            log = self.session(stage.drill, day, pain, effort, note, sets)
            self.logs[stage.drill_id].append(log)
            self.log_days[stage.drill_id].append(day)

    def warm_up(self, day: date, drill: Drill):
        sets = TrainingSession.prescribed_sets(drill)
        self.session(drill, day, 0, self.rng.choice((3, 3, 4)), "", sets)

    def pain(self, following: Following) -> int:
        rng = self.rng
        if following.sore:
            pain = following.sore.pop(0)
        elif following.last_pain <= rules.MAX_COMFORTABLE_PAIN and rng.random() < PAIN_DAY_CHANCE:
            pain = rng.choice((4, 4, 5))
        else:
            pain = rng.choices((0, 1, 2, 3), weights=(60, 25, 12, 3))[0]
        following.last_pain = pain
        return pain

    def sets(self, stage: Stage, pain: int) -> list[dict]:
        """The drill's dose at first, growing toward the stage target and then past it."""
        drill, rng = stage.drill, self.rng
        done = self.done[stage.pk]
        self.done[stage.pk] += 1
        if stage.pk not in self.ramp:
            weeks = stage.min_weeks * rng.uniform(0.7, 1.2)
            self.ramp[stage.pk] = max(2, round(weeks * self.plan.days_per_week))
        ramp = self.ramp[stage.pk]
        amounts = {}
        for name, target, dose in [
            ("reps", stage.target_reps, drill.reps),
            ("seconds", stage.target_seconds, drill.seconds),
        ]:
            goal = target or dose
            if goal is None:
                continue
            start = max(1, min(dose or goal, round(goal * 0.8)))
            if done <= ramp:
                value = start + (goal - start) * done / ramp
            else:
                value = goal * (1 + 0.4 * min(1, (done - ramp) / (2 * ramp)))
            amounts[name] = value * (0.8 if pain > rules.MAX_COMFORTABLE_PAIN else 1)
        count = drill.sets if done < ramp // 2 else max(drill.sets, stage.target_sets)
        sides = (
            [SetEntry.Side.LEFT, SetEntry.Side.RIGHT] if drill.per_side else [SetEntry.Side.BOTH]
        )
        sets = []
        for number in range(count):
            for side in sides:
                factor = 1.0
                if number == count - 1 and rng.random() < 0.3:  # the last set is the hardest
                    factor *= 0.9
                if side == self.weak_side and rng.random() < 0.3:
                    factor *= 0.93
                values = {name: _amount(name, value * factor) for name, value in amounts.items()}
                sets.append({"reps": None, "seconds": None, "side": side} | values)
        return sets

    def session(self, drill, day, pain, effort, note, sets) -> rules.SessionLog:
        session = TrainingSession(
            user=self.user,
            drill=drill,
            day=day,
            effort=effort,
            pain=pain,
            note=note,
            token=uuid.UUID(int=self.rng.getrandbits(128), version=4),
        )
        self.rows.sessions.append(session)
        self.rows.sets.extend(
            SetEntry(session=session, position=position, **values)
            for position, values in enumerate(sets, start=1)
        )
        logged = tuple(rules.SetLog(s["reps"], s["seconds"], rules.Side(s["side"])) for s in sets)
        return rules.SessionLog(day=day, pain=pain, sets=logged)

    def decide(self, following: Following, day: date):
        """Ask the rule at the end of a training day; move the next day when it says so."""
        row = following.row
        stage = row.stage
        since = rules.lookback_start(row.stage_started, day)  # what the rule reads, no more
        days = self.log_days[stage.drill_id]
        recent = self.logs[stage.drill_id][bisect_left(days, since) :]
        verdict = rules.evaluate(self.catalog.specs[stage.pk], row.stage_started, recent, day)
        if verdict.can_advance:
            kind, to_stage = StageChange.Kind.ADVANCE, following.stages.get(stage.position + 1)
        elif verdict.suggest_previous:
            kind, to_stage = StageChange.Kind.STEP_BACK, following.stages.get(stage.position - 1)
        else:
            return
        if to_stage is None:
            return
        if kind == StageChange.Kind.STEP_BACK:
            following.sore = [2, 1]  # easing off on the easier stage
        moved = day + timedelta(days=1)
        self.rows.changes.append(StageChange.move(row, to_stage, kind, moved, verdict))
        row.stage, row.stage_started = to_stage, moved


def _amount(name: str, value: float) -> int:
    if name == "reps":
        return min(REPS_MAX, max(1, round(value)))
    return min(SECONDS_MAX, max(5, 5 * round(value / 5)))


# --- plans -----------------------------------------------------------------------------------


def _schedule(rng, first: date, today: date, days_per_week: int, off: set[date]) -> set[date]:
    """About `days_per_week` days in each 7-day block, spread out around a weekly routine."""
    routine = rng.randrange(7)
    days = set()
    week = first
    while week <= today:
        count = days_per_week
        if count < 7:
            roll = rng.random()
            count = min(7, max(1, count - (roll < 0.12) + (roll > 0.94)))
        if count == 7:
            chosen = set(range(7))
        else:
            chosen = {
                (routine + round(n * 7 / count) + rng.choice((-1, 0, 0, 1))) % 7
                for n in range(count)
            }
            while len(chosen) < count:
                chosen.add(rng.randrange(7))
        days.update(week + timedelta(days=n) for n in chosen)
        week += timedelta(days=7)
    return {day for day in days if day <= today and day not in off}


def _breaks(rng, first: date, weeks: int) -> set[date]:
    """A break of 8-14 days every few months, never in the first or the last weeks."""
    off = set()
    week = rng.randint(5, 9)
    while week + 5 <= weeks:
        start = first + timedelta(weeks=week, days=rng.randrange(7))
        off.update(start + timedelta(days=n) for n in range(rng.randint(8, 14)))
        week += rng.randint(10, 16)
    return off


def _starts(rng, tracks: list[Track], first: date, today: date) -> list[tuple[Track, date, str]]:
    """The first track on the first day, the others on later days of the first three weeks."""
    later_days = range(1, min(21, (today - first).days + 1))
    if len(later_days) >= len(tracks) - 1:
        offsets = sorted(rng.sample(later_days, len(tracks) - 1))
    else:
        offsets = sorted(rng.choice(later_days) if later_days else 0 for _ in tracks[1:])
    starts = [(tracks[0], first, "Started from the welcome page.")]
    starts += [
        (track, first + timedelta(days=n), "Started from the catalog.")
        for track, n in zip(tracks[1:], offsets, strict=True)
    ]
    return starts


def person_plan(catalog: Catalog, rng, weeks: int, days_per_week: int, today: date) -> Plan:
    first = today - timedelta(days=7 * weeks - 1)
    total = (today - first).days
    daily = days_per_week == 7  # the benchmark person: every drill every day, no breaks
    off = _breaks(rng, first, weeks) if weeks >= 12 and not daily else set()
    starts = _starts(rng, catalog.tracks, first, today)
    training = _schedule(rng, first, today, days_per_week, off)
    training |= {started for _, started, _ in starts} | {today}
    pauses = {}
    if weeks >= 40 and not daily and len(catalog.tracks) >= 2:
        paused = rng.choice(catalog.tracks[1:])
        pauses[paused.pk] = first + timedelta(days=rng.randint(total * 6 // 10, total * 85 // 100))
    streaks = 0 if weeks < 8 else 1 if weeks < 30 else 2
    pain_streaks = [
        first
        + timedelta(days=rng.randint(total * (25 + 40 * n) // 100, total * (45 + 40 * n) // 100))
        for n in range(streaks)
    ]
    return Plan(first, today, days_per_week, starts, training, pauses, pain_streaks)


def crowd_plan(catalog: Catalog, rng, today: date, days_per_week: int) -> Plan:
    """Two to six weeks on one or two tracks."""
    weeks = rng.randint(2, 6)
    first = today - timedelta(days=7 * weeks - 1)
    tracks = sorted(
        rng.sample(catalog.tracks, min(len(catalog.tracks), rng.choice((1, 1, 2)))),
        key=catalog.tracks.index,
    )
    starts = [(tracks[0], first, "Started from the welcome page.")]
    starts += [
        (track, first + timedelta(days=rng.randint(1, 6)), "Started from the catalog.")
        for track in tracks[1:]
    ]
    training = _schedule(rng, first, today, days_per_week, set())
    training |= {started for _, started, _ in starts}
    return Plan(first, today, days_per_week, starts, training)


def _joined(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(8, 30), tzinfo=zone)


# --- builders --------------------------------------------------------------------------------


@transaction.atomic
def seed_person(
    email: str = DEMO_EMAIL,
    password: str = DEMO_PASSWORD,
    weeks: int = 26,
    days_per_week: int = 3,
    today: date | None = None,
    seed: int = 1,
):
    """A person following every track, with `weeks` of history ending on their `today`."""
    if weeks < 1 or not 1 <= days_per_week <= 7:
        raise ValueError("weeks must be at least 1 and days_per_week 1 to 7.")
    catalog = load_catalog()
    zone = ZoneInfo(DEMO_TIME_ZONE)
    today = today or timezone.localdate(timezone=zone)
    rng = random.Random(seed)
    plan = person_plan(catalog, rng, weeks, days_per_week, today)
    user = get_user_model().objects.create_user(
        email=email,
        password=password,
        display_name=DEMO_NAME,
        time_zone=DEMO_TIME_ZONE,
        days_per_week=days_per_week,
        date_joined=_joined(plan.first, zone),
    )
    rows = Rows()
    History(catalog, rows, user, plan, rng).run()
    rows.save()
    SelfTest.objects.bulk_create(self_tests(user, plan.first, today, rng))
    return user


def self_tests(user, first: date, today: date, rng) -> list[SelfTest]:
    """A self-test every four weeks from the first day: holds and ratings that improve, the
    left side a little behind the right."""
    tests = []
    for n in range((today - first).days // 28 + 1):
        right = min(KNEE_RAISE_CAP, 20 + 4 * n + rng.randint(-2, 2))
        tests.append(
            SelfTest(
                user=user,
                day=first + timedelta(weeks=4 * n),
                knee_left=round(right * rng.uniform(0.75, 0.95)),
                knee_right=right,
                leg_lift=min(4, n // 2),
                everyday=min(10, 4 + n // 2),
            )
        )
    return tests


@transaction.atomic
def seed_crowd(
    count: int,
    today: date | None = None,
    seed: int = 1,
    password: str = DEMO_PASSWORD,
    replace: bool = False,
) -> int:
    """People crowd-0001@hipapp.test onwards, with a few weeks each; returns how many were made.

    Someone who already exists is left alone, or removed and rebuilt with `replace`.
    """
    catalog = load_catalog()
    User = get_user_model()
    emails = [CROWD_EMAIL.format(n) for n in range(1, count + 1)]
    existing = User.objects.filter(email__in=emails)
    if replace:
        for person in existing:
            remove_person(person)
        taken = set()
    else:
        taken = set(existing.values_list("email", flat=True))
    hashed = make_password(password)  # hashing is slow on purpose: once for everyone
    people = []
    for number, email in enumerate(emails, start=1):
        if email in taken:
            continue
        rng = random.Random(f"{seed}:crowd:{number}")
        zone = ZoneInfo(rng.choice(CROWD_TIME_ZONES))
        days_per_week = rng.choice((2, 3, 3, 3, 4, 5))
        plan = crowd_plan(catalog, rng, today or timezone.localdate(timezone=zone), days_per_week)
        user = User(
            email=email,
            password=hashed,
            display_name=rng.choice(CROWD_NAMES),
            time_zone=zone.key,
            weekdays=spread(days_per_week),
            days_per_week=days_per_week,
            date_joined=_joined(plan.first, zone),
        )
        people.append((user, plan, rng))
    User.objects.bulk_create([user for user, _, _ in people], batch_size=BATCH_SIZE)
    rows = Rows()
    for user, plan, rng in people:
        History(catalog, rows, user, plan, rng).run()
    rows.save()
    return len(people)


def remove_person(user):
    """Delete someone and everything they own, the way the account page does when it can."""
    delete = getattr(user, "delete_account", None)
    (delete or user.delete)()


def counts(user) -> dict[str, int]:
    return {
        "tracks": FollowedTrack.objects.for_user(user).count(),
        "sessions": TrainingSession.objects.for_user(user).count(),
        "sets": SetEntry.objects.filter(session__user=user).count(),
        "stage changes": StageChange.objects.filter(followed__user=user).count(),
    }
