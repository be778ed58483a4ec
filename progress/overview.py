"""What the pages that look back at a person's training fetch: /history/ and the read-only
share page (sharing/) both draw their stages and sides from these, in a fixed number of
queries of plain values, and shape them with the pure functions in history.py and
balance.py."""

from datetime import date, timedelta

from exercises import snapshot

from . import balance, progression
from . import history as hist
from .models import FollowedTrack, SelfTest, SetEntry, StageChange


def timelines(user, day: date) -> list[hist.Timeline]:
    """Every track the person followed, with its stages from the stage changes and the rule's
    verdict on the current one. Queries: the followed tracks (1), their stage changes (1),
    and what the rule reads (3)."""
    followed = FollowedTrack.objects.for_user(user).joined()
    changes = {}
    catalog = snapshot.catalog()
    for change in StageChange.objects.filter(followed__user=user):
        change.to_stage = catalog.stages[change.to_stage_id]
        changes.setdefault(change.followed_id, []).append(change)
    current = [f for f in followed if f.state != FollowedTrack.State.LEFT]
    verdicts = {
        card.followed.pk: card.verdict for card in progression.track_cards(user, day, current)
    }
    return [hist.timeline(f, changes.get(f.pk, []), verdicts.get(f.pk)) for f in followed]


def balance_since(day: date) -> date:
    return day - timedelta(weeks=balance.BALANCE_WEEKS) + timedelta(days=1)


def drill_balances(user, day: date) -> list[balance.Balance]:
    """Each one-sided drill's left and right over the last BALANCE_WEEKS weeks: one query,
    a row for each drill and side, summed by the database."""
    rows = SetEntry.objects.for_user(user).between(balance_since(day), day).one_sided()
    return balance.drill_balances(rows.side_totals(), snapshot.catalog().drills)


def self_tests(user, limit: int) -> list[balance.SelfTestResult]:
    """The latest self-tests, newest first: one query."""
    return balance.results(SelfTest.objects.for_user(user).rows()[:limit])
