"""What reminders say: the email (plain text and HTML) and the push notification."""

import json
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse

from progress import progression
from progress.models import FollowedTrack

# Where a reminder leads: today's page, until the guided session player (issue 12) takes over.
PLAYER_URL = "/today/"
STOP_SALT = "reminders.stop-emails"


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def stop_token(user) -> str:
    """A signed token that turns the person's reminder emails off, no sign-in needed."""
    return signing.dumps(user.pk, salt=STOP_SALT)


def stop_token_user_id(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


@dataclass(frozen=True)
class TrainingDay:
    """A training-day reminder: the person's next drill and its dose, if they follow a track."""

    name: str
    day: date
    drill: str | None = None
    dose: str | None = None
    track: str | None = None

    @property
    def subject(self) -> str:
        return f"Training day: {self.drill or 'pick your first track'}"

    @property
    def line(self) -> str:
        if self.drill is None:
            return "Today is a training day. Choose a track to start with."
        return f"Next up: {self.drill}, {self.dose} ({self.track})."


def training_day(user, day: date) -> TrainingDay:
    """One query: the followed tracks, with their stages and drills."""
    followed = FollowedTrack.objects.for_user(user).select_related("track", "stage__drill")
    order = progression.training_order(list(followed))
    if not order:
        return TrainingDay(user.name, day)
    first = order[0]
    drill = first.stage.drill
    track = f"{first.track.name}, stage {first.stage.position}"
    return TrainingDay(user.name, day, drill.name, drill.dose, track)


def training_email(user, note: TrainingDay) -> EmailMultiAlternatives:
    stop = site_url(reverse("reminders:stop", args=[stop_token(user)]))
    context = {
        "note": note,
        "start_url": site_url(PLAYER_URL),
        "settings_url": site_url(reverse("accounts:settings")),
        "stop_url": stop,
    }
    message = EmailMultiAlternatives(
        subject=note.subject,
        body=render_to_string("reminders/email/training.txt", context),
        to=[user.email],
        headers={
            # One-click unsubscribe (RFC 8058): mail apps POST to the link, no sign-in needed.
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("reminders/email/training.html", context), "text/html"
    )
    return message


def training_push(note: TrainingDay) -> str:
    """The notification sw.js shows; tapping it opens the player."""
    return json.dumps(
        {
            "title": note.subject,
            "body": note.line,
            "url": PLAYER_URL,
            "tag": f"training-{note.day.isoformat()}",
            "icon": static("img/icon-192.png"),
        }
    )
