"""The person's plan as an iCalendar feed: training days for eight weeks, and the earliest day
each track's next stage can open. No pain, notes or email address in it."""

from datetime import UTC, date, datetime, timedelta

from exercises.models import Drill
from progress import progression
from progress.models import FollowedTrack

from .messages import PLAYER_URL, site_url

WEEKS = 8
SESSION = timedelta(minutes=20)


def uid(feed, name: str) -> str:
    """The same event keeps its UID across downloads (and across a replaced secret)."""
    return f"{feed.uid_seed}-{name}@hipapp"


def due_drills(cards) -> list[Drill]:
    """The drills of the active tracks, in the order today's page suggests them."""
    return [f.stage.drill for f in progression.training_order([c.followed for c in cards])]


def training_event(feed, user, day: date, description: str, stamp: datetime):
    start = datetime.combine(day, user.remind_at, tzinfo=user.zone).astimezone(UTC)
    from icalendar import Event  # only for a feed being built: it is large

    event = Event()
    event.add("uid", uid(feed, f"training-{day:%Y%m%d}"))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + SESSION)
    event.add("summary", "Hip training")
    event.add("description", description)
    event.add("url", site_url(PLAYER_URL))
    return event


def stage_event(feed, card, stamp: datetime):
    track, stage = card.followed.track, card.stage
    if stage.position >= card.followed.stage_total:
        summary = f"{track.name}: stage {stage.position} can become your maintenance"
    else:
        summary = f"{track.name}: stage {stage.position + 1} can open"
    from icalendar import Event  # only for a feed being built: it is large

    event = Event()
    event.add("uid", uid(feed, f"{track.slug}-after-stage-{stage.position}"))
    event.add("dtstamp", stamp)
    event.add("dtstart", card.verdict.earliest_advance)
    event.add("dtend", card.verdict.earliest_advance + timedelta(days=1))
    event.add("summary", summary)
    event.add(
        "description",
        "The earliest day, if every week from now counts. Today's page says where you stand.",
    )
    event.add("transp", "TRANSPARENT")
    return event


def plan_calendar(feed, today: date, now: datetime) -> bytes:
    """Three queries besides the feed's: the followed tracks, the sessions the rule reads, and
    their latest sets (progression.track_cards)."""
    user = feed.user
    cards = progression.track_cards(user, today)
    drills = due_drills(cards)
    if drills:
        names = "\n".join(f"- {drill.name}: {drill.dose}" for drill in drills)
        description = f"Drills due:\n{names}\n\nStart: {site_url(PLAYER_URL)}"
    else:
        description = f"Choose a track to start with: {site_url(PLAYER_URL)}"
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Hipapp//Training plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Hip training")
    calendar.add("x-published-ttl", timedelta(hours=6))
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for offset in range(WEEKS * 7):
        day = today + timedelta(days=offset)
        if user.trains_on(day):
            calendar.add_component(training_event(feed, user, day, description, stamp))
    for card in cards:
        if card.followed.state == FollowedTrack.State.ACTIVE and card.verdict.earliest_advance:
            calendar.add_component(stage_event(feed, card, stamp))
    return calendar.to_ical()
