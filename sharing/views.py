from datetime import timedelta

from django.conf import settings as conf
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.throttling import client_network, hourly_count, within_hourly_limit
from progress import balance, overview, pain
from progress import history as hist
from progress.models import TrainingSession, session_lines

from .forms import ShareLinkForm
from .models import ShareLink

NEW_LINK = "sharing:new-link"  # the session key of a link's address, shown once
LATEST_SESSIONS = 10
SELF_TESTS_SHOWN = 6
MISSES = "share-miss"  # the throttle's scope: secrets that matched no live link


@login_required
@require_http_methods(["GET", "POST"])
def manage(request):
    """The person's live links, each with when it was last opened; a form for a new one.
    Queries: the links (1); making one: the expired ones cleared (1) and the new one (1)."""
    form = ShareLinkForm(request.POST or None)
    if form.is_valid():
        link, secret = ShareLink.objects.make(request.user, **form.cleaned_data)
        request.session[NEW_LINK] = [link.pk, request.build_absolute_uri(f"/shared/{secret}/")]
        messages.success(request, f"Your link “{link.label}” is ready. Copy it now.")
        return redirect("sharing:manage")
    new = request.session.pop(NEW_LINK, None)
    links = list(ShareLink.objects.for_user(request.user).live())
    context = {
        "title": "Share with your physio",
        "form": form,
        "links": links,
        "new_link": new and new[0],
        "new_url": new and new[1],
    }
    return render(request, "sharing/manage.html", context)


@login_required
@require_POST
def revoke(request, link):
    link = get_object_or_404(ShareLink, pk=link, user=request.user)
    link.delete()
    messages.success(request, f"The link “{link.label}” no longer works.")
    return redirect("sharing:manage")


def private(response):
    """Headers of every answer to a share link: kept by no cache, indexed by no search
    engine, and no address of it sent on to anyone."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def shared(request, secret):
    """The read-only summary a link shows, to anyone holding it: drawn by the same history
    code as /history/ (progress.history, progress.overview), with no email address, no
    link into the person's account and no form. An expired, revoked or made-up link is a
    404, counted against the client's address: past HIPAPP_SHARE_MISSES_PER_HOUR an hour,
    every link from there is refused with a 429."""
    network = client_network(request)
    if hourly_count(MISSES, network) >= conf.HIPAPP_SHARE_MISSES_PER_HOUR:
        return private(render(request, "sharing/throttled.html", status=429))
    link = ShareLink.objects.open(secret)
    if link is None:
        within_hourly_limit(MISSES, network, conf.HIPAPP_SHARE_MISSES_PER_HOUR)
        return private(render(request, "404.html", status=404))
    user = link.user
    day = timezone.localdate(timezone=user.zone)
    # Queries: the link and its person (1), marked opened (1), stage timelines (5), training
    # days of the weeks shown (1), pain by week (1), the current drills' sessions (1), each
    # side of the one-sided drills (1), the latest self-tests (1), the latest sessions and
    # their sets (2). None grows with the years.
    timelines = overview.timelines(user, day)
    mine = TrainingSession.objects.for_user(user)
    first_week = hist.week_start(day) - timedelta(weeks=hist.ADHERENCE_WEEKS - 1)
    adherence = hist.adherence(set(mine.daily_counts(first_week, day)), day, user.days_per_week)
    weeks = list(zip(adherence.weeks, pain.by_week(user, day, hist.ADHERENCE_WEEKS), strict=True))
    tests = overview.self_tests(user, SELF_TESTS_SHOWN)
    latest = session_lines(mine.listing()[:LATEST_SESSIONS])
    context = {
        "link": link,
        "person": user,
        "today": day,
        "timelines": timelines,
        "charts": overview.stage_charts(user, day, timelines),
        "adherence": adherence,
        "weeks": weeks,
        "tests": tests,
        "knee": balance.latest_knee_balance(tests),
        "changes": balance.changes(tests),
        "sides": overview.drill_balances(user, day),
        "sessions": latest,
        "shared": True,
    }
    return private(render(request, "sharing/shared.html", context))
