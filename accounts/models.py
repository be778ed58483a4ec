"""People: the email address is the login; each person has a time zone and a training plan."""

import unicodedata
import zoneinfo
from datetime import date, time
from functools import cache, reduce

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.functions import Lower

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Plan days as bits of one number, Monday the lowest: Mon/Wed/Fri is 0b0010101 (21).
EVERY_DAY = 0b1111111
# The plan days a number of training days a week starts as: spread out, Monday first.
SPREAD = {
    1: [2],
    2: [0, 3],
    3: [0, 2, 4],
    4: [0, 1, 3, 4],
    5: [0, 1, 2, 3, 4],
    6: [0, 1, 2, 3, 4, 5],
    7: [0, 1, 2, 3, 4, 5, 6],
}


def weekday_bits(weekdays) -> int:
    """Plan days (0 is Monday) as the bits User.weekdays stores."""
    return reduce(lambda bits, day: bits | 1 << day, weekdays, 0)


def weekday_list(bits: int) -> list[int]:
    """The plan days (0 is Monday) in User.weekdays' bits."""
    return [day for day in range(7) if bits >> day & 1]


def spread(days_per_week: int) -> int:
    """A sensible spread of that many training days a week: 3 is Monday, Wednesday, Friday."""
    return weekday_bits(SPREAD[days_per_week])


@cache
def time_zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def normalize_email(email: str) -> str:
    """The one spelling of an email address: NFKC (full-width and compatibility letters become
    plain ones), casefolded, stripped.

    Sign-up, sign-in, password reset and the sign-in throttle's key all go through it, and
    addresses are then looked up exactly: a case-insensitive lookup would leave the matching to
    the database, and PostgreSQL's UPPER() takes a dotless 'ı' for an 'i' while the throttle
    counts it apart. A look-alike such as 'alıce@' stays a different address.
    """
    return unicodedata.normalize("NFKC", email or "").casefold().strip()


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        return normalize_email(email)

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        # A number of training days alone (the demo, older callers) gets a spread of them.
        fields.setdefault("weekdays", spread(fields.get("days_per_week", 3)))
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, email):
        return self.get(email=normalize_email(email))


class Remind(models.TextChoices):
    """How a person is reminded of a training day (and, if they ask, the next-morning check-in)."""

    EMAIL = "email", "By email"
    PUSH = "push", "On my devices"
    BOTH = "both", "By email and on my devices"
    NONE = "none", "No reminders"

    @property
    def by_email(self) -> bool:
        return self in (Remind.EMAIL, Remind.BOTH)

    @property
    def by_push(self) -> bool:
        return self in (Remind.PUSH, Remind.BOTH)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", max_length=254, unique=True)
    display_name = models.CharField(
        max_length=60, blank=True, help_text="What Hipapp calls you. Leave empty to use your email."
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        help_text="Your days and weeks are counted in this time zone.",
    )
    weekdays = models.PositiveSmallIntegerField(
        "training days",
        default=spread(3),
        validators=[MinValueValidator(1), MaxValueValidator(EVERY_DAY)],
        help_text="The weekdays you train, one bit a day from Monday (bit 0) to Sunday (bit 6).",
    )
    # The number of plan days: kept equal to the bits set in weekdays (save() and a constraint).
    # Today's rest days and history's adherence read it.
    days_per_week = models.PositiveSmallIntegerField(
        "training days a week",
        default=3,
        editable=False,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    remind_at = models.TimeField(
        "reminder time", default=time(18, 0), help_text="On training days, in your time zone."
    )
    remind_by = models.CharField(
        "training-day reminders", max_length=5, choices=Remind.choices, default=Remind.NONE
    )
    checkin_reminder = models.BooleanField(
        "next-morning check-in reminder",
        default=False,
        help_text="The morning after training, a reminder to say how your hips feel.",
    )
    # Bumped by every change to what the person logged, followed or set; cached pages built
    # before it are not shown again (hipapp/pagecache.py).
    revision = models.PositiveIntegerField(default=0, editable=False)
    red_flags_read_on = models.DateField(
        "read when to stop and see someone on",
        null=True,
        blank=True,
        editable=False,
        help_text="The local day the person confirmed reading it, before their first plan.",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message="An account with this email address already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(days_per_week__gte=1, days_per_week__lte=7),
                name="user_days_per_week_range",
            ),
            models.CheckConstraint(
                condition=models.Q(weekdays__gte=1, weekdays__lte=EVERY_DAY),
                name="user_weekdays_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    days_per_week=sum(
                        (models.F("weekdays").bitrightshift(day).bitand(1) for day in range(1, 7)),
                        start=models.F("weekdays").bitand(1),
                    )
                ),
                name="user_days_per_week_counts_weekdays",
            ),
            models.CheckConstraint(
                condition=models.Q(remind_by__in=Remind.values), name="user_remind_by_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        self.days_per_week = len(weekday_list(self.weekdays))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "weekdays" in update_fields:
            kwargs["update_fields"] = {*update_fields, "days_per_week"}
        super().save(*args, **kwargs)

    def read_red_flags(self, day):
        """The person confirmed reading when to stop and see someone, on that local day."""
        self.red_flags_read_on = day
        User.objects.filter(pk=self.pk).update(red_flags_read_on=day)

    def data_changed(self):
        """Something the person's pages show has changed: pages cached before are stale."""
        User.objects.filter(pk=self.pk).update(revision=models.F("revision") + 1)

    @transaction.atomic
    def delete_account(self):
        """Remove the person and everything they own, sign-in failure records, sessions on
        every device and the pages kept for them included."""
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        from hipapp import pagecache

        from .sessions import SessionStore, session_cache

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=self.email).delete()
        pagecache.forget(self)
        # The database deletes the person's sessions with them; the copies in the cache go here.
        sessions = UserSession.objects.filter(user=self).values_list("session_key", flat=True)
        session_cache().delete_many([SessionStore.cache_key_prefix + key for key in sessions])
        self.delete()

    @property
    def name(self):
        return self.display_name or self.email.split("@")[0]

    @property
    def plan_days(self) -> list[int]:
        """The weekdays the person trains, 0 for Monday."""
        return weekday_list(self.weekdays)

    def trains_on(self, day: date) -> bool:
        return bool(self.weekdays >> day.weekday() & 1)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


class UserSession(AbstractBaseSession):
    """A signed-in session, tied to its person (see accounts.sessions)."""

    user = models.ForeignKey(User, null=True, on_delete=models.CASCADE, related_name="+")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
