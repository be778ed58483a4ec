"""Reminders sent, the devices that take push reminders, and each person's calendar feed."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReminderQuerySet(models.QuerySet):
    def of_kind(self, kind):
        return self.filter(kind=kind)

    def finished(self):
        """Sent, given up on, or with nowhere to go: never tried again."""
        return self.exclude(status=Reminder.Status.DUE)

    def claim(self, user, day, kind):
        """Lock the person's reminder of that day while it is still to be sent; None when it is
        sent already, given up on, or another runner holds it (SKIP LOCKED on PostgreSQL; on
        SQLite the IMMEDIATE transaction around it already keeps other runners out)."""
        return (
            self.select_for_update(skip_locked=True)
            .filter(user=user, day=day, kind=kind, status=Reminder.Status.DUE)
            .first()
        )


class Reminder(models.Model):
    """One reminder of one kind to one person on one of their local days: the row is claimed
    before the reminder is sent, so that it goes out once however many runners there are."""

    class Kind(models.TextChoices):
        TRAINING = "training", "Training day"
        # The next-morning check-in (issue 12) adds its kind here: its own due rule and message
        # in reminders/sending.py, the same claiming and sending.

    class Status(models.TextChoices):
        DUE = "due", "To send (tried again by later runs)"
        SENT = "sent", "Sent"
        FAILED = "failed", "Given up after HIPAPP_REMINDER_ATTEMPTS tries"
        NOWHERE = "nowhere", "Nowhere to send it"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The person's local day it is for.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Failed tries so far.")
    sent_by = models.CharField(max_length=20, blank=True, help_text="email, push or both.")
    error = models.CharField(max_length=300, blank=True, help_text="The last failure.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day", "kind"], name="reminder_once_a_day"),
            models.CheckConstraint(
                condition=Q(kind__in=["training", "checkin"]), name="reminder_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["due", "sent", "failed", "nowhere"]),
                name="reminder_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {self.day}: {self.get_status_display()}"


class PushSubscription(models.Model):
    """A browser that takes push reminders (one device of one person)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200, help_text="The browser's public key, base64url.")
    auth = models.CharField(max_length=100, help_text="The browser's auth secret, base64url.")
    device = models.CharField(max_length=100, help_text="Browser and system, as it said.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.device

    @property
    def info(self) -> dict:
        """The subscription as the browser gave it (what pywebpush takes)."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class CalendarFeedManager(models.Manager):
    def renew(self, user) -> str:
        """A new secret for the person's feed (the old link stops working); returns it. Only its
        hash is kept. Events keep their UIDs, so calendars do not show them twice."""
        secret = secrets.token_urlsafe(32)
        self.update_or_create(user=user, defaults={"secret_hash": secret_hash(secret)})
        return secret

    def by_secret(self, secret: str):
        return self.select_related("user").filter(secret_hash=secret_hash(secret)).first()


class CalendarFeed(models.Model):
    """A person's plan as a calendar feed at /calendar/<secret>.ics."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    secret_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the secret.")
    uid_seed = models.UUIDField(default=uuid.uuid4, editable=False, help_text="Starts event UIDs.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CalendarFeedManager()

    def __str__(self):
        return f"Calendar feed of {self.user}"
