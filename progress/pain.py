"""Pain week by week: the highest during training beside the highest the mornings after.

One aggregate query, over rows that already carry their week: the weekly totals kept as
sessions change (WeeklyTotal) and the check-ins' own week. Neither the database nor Python
works out a week for each row, so the cost stays that of two dozen small groups.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import CharField, Max, Value

from .models import CheckIn, WeeklyTotal, week_start

WEEKS = 12


@dataclass(frozen=True)
class PainWeek:
    start: date  # its Monday
    during: int | None  # the highest pain logged in a session that week
    morning: int | None  # the highest pain reported in a morning check-in that week
    current: bool


def by_week(user, today: date, weeks: int = WEEKS) -> list[PainWeek]:
    """The last `weeks` weeks, newest first, up to the one holding today."""
    this_week = week_start(today)
    first = this_week - timedelta(weeks=weeks - 1)
    during = (
        WeeklyTotal.objects.filter(user_id=user.pk, week__gte=first, week__lte=today)
        .order_by()
        .values("week")
        .annotate(kind=Value("during", output_field=CharField()), highest=Max("pain"))
    )
    mornings = (
        CheckIn.objects.filter(user_id=user.pk, skipped=False, week__gte=first, day__lte=today)
        .order_by()
        .values("week")
        .annotate(kind=Value("morning", output_field=CharField()), highest=Max("pain"))
    )
    found = {(row["week"], row["kind"]): row["highest"] for row in during.union(mornings, all=True)}
    starts = [this_week - timedelta(weeks=n) for n in range(weeks)]
    return [
        PainWeek(start, found.get((start, "during")), found.get((start, "morning")), n == 0)
        for n, start in enumerate(starts)
    ]
