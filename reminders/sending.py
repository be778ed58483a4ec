"""Which reminders are due, and sending each once (`python manage.py send_reminders`).

A training-day reminder is due when, in the person's own time zone, today is one of their plan
days, their reminder time has passed, nothing is logged today and no reminder went out today.
Days are the person's local days, so a daylight-saving change or a new time zone neither skips
nor doubles one: the reminder row of (person, local day, kind) is unique.

Exactly once: the rows of everything due are inserted first (a conflict means it is there
already); then each is locked, sent and marked in one transaction. On PostgreSQL the lock is
`SELECT ... FOR UPDATE SKIP LOCKED`, so a second runner passes over what the first is sending
and finds it marked sent afterwards; on SQLite the IMMEDIATE transactions run one at a time.
"""

import logging
import smtplib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Remind, User
from progress.models import TrainingSession

from . import messages
from .models import PushSubscription, Reminder

log = logging.getLogger(__name__)

PUSH_TTL = 4 * 3600  # a device that is off for longer misses the notification
GONE = {404, 410}  # the push service says the subscription is no more


def push_configured() -> bool:
    return bool(settings.VAPID_PRIVATE_KEY)


def candidates(now: datetime):
    """Everyone with reminders on, with the last day they logged and the last day a training
    reminder was done with: one query, however many people."""
    latest = (now + timedelta(days=1)).date()  # no time zone is further ahead than a day
    logged = TrainingSession.objects.filter(user=OuterRef("pk"), day__lte=latest).order_by("-day")
    reminded = (
        Reminder.objects.of_kind(Reminder.Kind.TRAINING)
        .finished()
        .filter(user=OuterRef("pk"))
        .order_by("-day")
    )
    return (
        User.objects.filter(is_active=True)
        .exclude(remind_by=Remind.NONE)
        .annotate(
            last_logged=Subquery(logged.values("day")[:1]),
            last_reminded=Subquery(reminded.values("day")[:1]),
        )
        .order_by("pk")
    )


def training_day_due(person, now: datetime) -> date | None:
    """The local day a training reminder is due for, or None."""
    local = now.astimezone(person.zone)
    day = local.date()
    if not person.trains_on(day) or local.time() < person.remind_at:
        return None
    for done in (person.last_logged, person.last_reminded):
        if done is not None and done >= day:
            return None
    return day


@dataclass(frozen=True)
class Due:
    user: User
    day: date
    kind: str


def due_reminders(now: datetime) -> list[Due]:
    due = []
    for person in candidates(now):
        day = training_day_due(person, now)
        if day is not None:
            due.append(Due(person, day, Reminder.Kind.TRAINING))
    return due


@dataclass
class Outcome:
    sent_by: list[str] = field(default_factory=list)
    error: str = ""  # a failure worth another try: the mail server or a push service was down


def send_email(person, note, outcome: Outcome):
    try:
        messages.training_email(person, note).send()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("Reminder email to person %s failed: %s", person.pk, exc)
        outcome.error = f"email: {exc}"[:300]
    else:
        outcome.sent_by.append("email")


def send_push(person, note, outcome: Outcome):
    # Imported here: web push (requests, cryptography) adds some 20 MB to a process, and only
    # the reminder runner sends.
    import requests
    from pywebpush import WebPushException, webpush

    payload = messages.training_push(note)
    delivered = False
    for device in PushSubscription.objects.filter(user=person):
        try:
            webpush(
                device.info,
                payload,
                vapid_private_key=settings.VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=PUSH_TTL,
                timeout=10,
            )
        except WebPushException as exc:
            status = exc.status_code
            if status in GONE:
                device.delete()
                continue
            log.warning("Push to device %s failed: %s", device.pk, status)
            if status is None or status == 429 or status >= 500:
                outcome.error = f"push: {status or exc.message}"[:300]
        except requests.RequestException as exc:
            log.warning("Push to device %s failed: %s", device.pk, exc)
            outcome.error = f"push: {exc}"[:300]
        else:
            delivered = True
            PushSubscription.objects.filter(pk=device.pk).update(last_sent_at=timezone.now())
    if delivered:
        outcome.sent_by.append("push")


def deliver(person, reminder: Reminder) -> Outcome:
    """Send the reminder by each way the person chose."""
    note = messages.training_day(person, reminder.day)
    channels = Remind(person.remind_by)
    outcome = Outcome()
    if channels.by_email:
        send_email(person, note, outcome)
    if channels.by_push and push_configured():
        send_push(person, note, outcome)
    return outcome


def record(reminder: Reminder, outcome: Outcome):
    if outcome.sent_by:
        reminder.status = Reminder.Status.SENT
        reminder.sent_by = "+".join(outcome.sent_by)
        reminder.sent_at = timezone.now()
    elif outcome.error:
        reminder.attempts += 1
        if reminder.attempts >= settings.HIPAPP_REMINDER_ATTEMPTS:
            reminder.status = Reminder.Status.FAILED
    else:
        reminder.status = Reminder.Status.NOWHERE
    reminder.error = outcome.error
    reminder.save()


def send_one(due: Due) -> str:
    """Claim, send and mark one reminder in one transaction; what became of it."""
    with transaction.atomic():
        reminder = Reminder.objects.claim(due.user, due.day, due.kind)
        if reminder is None:
            return "taken"  # sent already, or another runner is sending it
        record(reminder, deliver(due.user, reminder))
        return reminder.status


def send_due(now: datetime | None = None) -> Counter:
    """Send every reminder due now; counts by outcome (sent, due again, failed, ...)."""
    now = now or timezone.now()
    due = due_reminders(now)
    if not due:
        return Counter()
    Reminder.objects.bulk_create(
        [Reminder(user=d.user, day=d.day, kind=d.kind) for d in due], ignore_conflicts=True
    )
    return Counter(send_one(d) for d in due)
