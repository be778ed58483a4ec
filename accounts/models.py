"""People: the email address is the login; each person has a time zone and a training plan."""

import unicodedata
import zoneinfo
from functools import cache

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.functions import Lower


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
    days_per_week = models.PositiveSmallIntegerField(
        "training days a week",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text="How many days a week you plan to train.",
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
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
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
        """Remove the person and everything they own, sign-in failure records and the pages
        kept for them included."""
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        from hipapp import pagecache

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=self.email).delete()
        pagecache.forget(self)
        self.delete()

    @property
    def name(self):
        return self.display_name or self.email.split("@")[0]

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
