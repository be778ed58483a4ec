"""Read-only links a person makes to show their training to someone else (a physio)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

EXPIRY_DAYS = (7, 30, 90)
LABEL_MAX = 60


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ShareLinkQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def live(self):
        """Links not expired yet (revoked links are deleted)."""
        return self.filter(expires_at__gt=timezone.now())

    def make(self, user, *, label: str, days: int, include_notes: bool):
        """A new link; returns (link, secret). Only a hash of the secret is kept, so it is
        shown once. The person's expired links are cleared away."""
        self.for_user(user).filter(expires_at__lte=timezone.now()).delete()
        secret = secrets.token_urlsafe(32)  # 256 random bits
        link = self.create(
            user=user,
            label=label,
            secret_hash=secret_hash(secret),
            include_notes=include_notes,
            expires_at=timezone.now() + timedelta(days=days),
        )
        return link, secret

    def open(self, secret: str):
        """The live link with this secret, its person with it, marked as opened now; None for
        a secret that is expired, revoked, made up or belongs to someone switched off. Two
        queries."""
        if not secret or len(secret) > 100:
            return None
        link = (
            self.live()
            .select_related("user")
            .filter(secret_hash=secret_hash(secret), user__is_active=True)
            .first()
        )
        if link is not None:
            link.last_opened_at = timezone.now()
            self.filter(pk=link.pk).update(last_opened_at=link.last_opened_at)
        return link


class ShareLink(models.Model):
    """A read-only summary of one person's training at /shared/<secret>/, until it expires or
    the person revokes it (which deletes the row)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(
        max_length=LABEL_MAX, help_text="Who it is for, in the person's words."
    )
    secret_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the secret.")
    include_notes = models.BooleanField(
        default=False, help_text="The notes of the latest sessions are shown."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_opened_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="share_link_expires_after_it_is_made",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.user})"
