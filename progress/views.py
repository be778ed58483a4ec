import uuid
from bisect import bisect_left
from datetime import timedelta
from operator import attrgetter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from exercises import snapshot
from exercises.models import Stage, Track
from exercises.views import catalog_context
from hipapp.pagecache import cached_page

from . import balance, overview, pain, progression, rules
from . import history as hist
from .forms import (
    CheckInForm,
    HistoryFilterForm,
    NewSetFormSet,
    PrescribedForm,
    RedFlagsForm,
    SelfTestForm,
    SentPrescribedForm,
    SessionForm,
    SetFormSet,
)
from .models import (
    KNEE_RAISE_CAP,
    CheckIn,
    FollowedTrack,
    SelfTest,
    SessionSide,
    StageChange,
    TrainingSession,
    WeeklyTotal,
    session_lines,
)

# Tracks suggested to someone new: control first, then the strength ladder.
SUGGESTED_TRACKS = ["psoas-control", "hip-flexion-ladder"]


def parse_token(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def local_today(user):
    return timezone.localdate(timezone=user.zone)


@require_safe
@cached_page()
def catalog(request):
    """The drill catalog, with the tracks the person follows marked. One query more than the
    catalog's own when signed in."""
    following = set()
    if request.user.is_authenticated:
        tracks = FollowedTrack.objects.for_user(request.user).following()
        following = set(tracks.values_list("track_id", flat=True))
    context = catalog_context() | {"following": following}
    return render(request, "exercises/catalog.html", context)


@login_required
@require_safe
@cached_page()
def today(request):
    user = request.user
    day = local_today(user)
    # Queries: followed tracks (1); the sessions the rule reads, this week's and yesterday's
    # (1); the morning check-ins (1); the sets of each track's latest two sessions (1); the
    # latest self-test's day (1). With nothing followed, the catalog's tracks instead.
    followed = FollowedTrack.objects.for_user(user).following().joined()
    if not followed:
        context = {
            "title": "Today",
            "tracks": Track.objects.with_stages(),
            "suggested": SUGGESTED_TRACKS,
            "red_flags_form": RedFlagsForm(),
        }
        return render(request, "progress/onboarding.html", context)
    week_start = day - timedelta(days=day.weekday())
    yesterday = day - timedelta(days=1)
    since = min(week_start, yesterday)
    sessions = progression.recent_sessions(user, day, followed, since)
    check_ins = progression.recent_check_ins(
        user, day, progression.window_start(day, followed, since)
    )
    cards = progression.track_cards(user, day, followed, sessions, check_ins)
    # This week's and yesterday's sessions: the rows are by day, the rule's weeks before them.
    recent = sessions[bisect_left(sessions, since, key=attrgetter("day")) :]
    done = progression.done_on(recent, day)
    this_morning = next((c for c in reversed(check_ins) if c.day == day), None)
    # The day after a training day, the morning check-in comes first (until answered or skipped).
    ask_check_in = this_morning is None and any(s.day == yesterday for s in recent)
    trained_days = len({s.day for s in recent if week_start <= s.day < day})
    next_card = progression.next_up(cards, {s.drill_id for s in done})
    rest_day = not done and trained_days >= user.days_per_week
    off_day_drill = None
    if rest_day or next_card is None:
        warmups = snapshot.catalog().standalone
        off_day_drill = warmups[day.toordinal() % len(warmups)] if warmups else None
    return render(
        request,
        "progress/today.html",
        {
            "title": "Today",
            "today": day,
            "cards": cards,
            "done": done,
            "next_card": next_card,
            "rest_day": rest_day,
            "trained_days": trained_days,
            "off_day_drill": off_day_drill,
            "next_token": uuid.uuid4(),
            "check_in_form": CheckInForm() if ask_check_in else None,
            "alarm": progression.alarm(cards, done, this_morning),
            "self_test_due": self_test_due(user, day, cards),
        },
    )


def self_test_due(user, day, cards) -> bool:
    """Offer the self-test on today's page (balance.self_test_due): one query."""
    complete = [
        card.followed.stage_started
        for card in cards
        if card.verdict.can_advance or card.verdict.status == rules.Status.MAINTAIN
    ]
    return balance.self_test_due(SelfTest.objects.for_user(user).last_day(), day, complete)


@login_required
@require_safe
@cached_page()
def player(request):
    """The session player: today's drills one at a time, counted by static/js/player.js.
    Without JavaScript, the same drills as a list, each with its log form a tap away.
    Queries: followed tracks (1), the drills done today (1)."""
    user = request.user
    day = local_today(user)
    followed = list(FollowedTrack.objects.for_user(user).current())
    done = set(
        TrainingSession.objects.for_user(user).filter(day=day).values_list("drill_id", flat=True)
    )
    # A token for each drill, kept with the cached page: a drill sent twice is saved once.
    steps = [(f, uuid.uuid4()) for f in progression.waiting(followed, done)]
    return render(
        request,
        "progress/player.html",
        {
            "title": "Today's session",
            "description": "Today's drills one at a time: the phone counts, you move.",
            "today": day,
            "steps": steps,
            "alarm_pain": rules.SEE_SOMEONE_PAIN,
        },
    )


@login_required
@require_POST
def player_save(request, drill):
    """Save one drill from the player as a session, from the fields the log form posts
    (SessionForm and NewSetFormSet), answered in JSON.

    The client may send it again until it hears back (the offline queue does: static/sw.js): a
    token already saved saves nothing new and answers 200 with created false; a new session
    answers 201. Bad input answers 400 with a message and the fields' errors, and saves nothing.
    The offline queue also sends "Log as prescribed" taps here: the prescribed form's fields
    with the day of the tap (SentPrescribedForm).
    """
    drill = snapshot.catalog().drill(drill)
    user = request.user
    token = parse_token(request.POST.get("token"))
    existing = token and TrainingSession.objects.filter(user=user, token=token).first()
    if existing:
        return JsonResponse(saved_answer(existing, drill, created=False))
    if "prescribed" in request.POST:
        form = SentPrescribedForm(request.POST, today=local_today(user))
        if not form.is_valid():
            return refusal(dict(form.errors))
        session, created = TrainingSession.objects.record(
            user, drill, effort=5, sets=TrainingSession.prescribed_sets(drill), **form.cleaned_data
        )
        return JsonResponse(saved_answer(session, drill, created), status=201 if created else 200)
    form = SessionForm(request.POST, today=local_today(user))
    formset = NewSetFormSet(request.POST, drill=drill)
    if not (form.is_valid() and formset.is_valid()):
        errors = dict(form.errors)
        for n, set_form in enumerate(formset.forms):
            errors |= {f"sets-{n}-{name}": m for name, m in set_form.errors.items()}
        if formset.non_form_errors():
            errors["sets"] = formset.non_form_errors()
        return refusal(errors)
    session, created = TrainingSession.objects.record(
        user, drill, sets=formset.set_values(), **form.cleaned_data
    )
    return JsonResponse(saved_answer(session, drill, created), status=201 if created else 200)


def refusal(errors) -> JsonResponse:
    """Bad input: 400, with the first message and every field's."""
    errors = {name: list(messages) for name, messages in errors.items()}
    message = next(iter(errors.values()))[0]
    return JsonResponse({"saved": False, "message": message, "errors": errors}, status=400)


def saved_answer(session, drill, created) -> dict:
    when = f"{session.day:%A, %b} {session.day.day}"
    return {
        "saved": True,
        "created": created,
        "session": session.pk,
        "day": session.day.isoformat(),
        "message": f"{drill.name} is saved for {when}."
        if created
        else f"{drill.name} was already saved for {when}.",
    }


@login_required
@require_POST
def check_in(request):
    """The morning check-in: one tap on a pain value answers (with the stiffness chosen, 'same
    as usual' unless changed), one tap skips it for the day."""
    user, day = request.user, local_today(request.user)
    if "skip" in request.POST:
        CheckIn.objects.skip(user, day)
        messages.info(request, "Skipped for this morning.")
        return redirect("today")
    form = CheckInForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("today")
    answer = CheckIn.objects.record(user, day, **form.cleaned_data)
    messages.success(
        request,
        f"Thank you: {answer.pain}/10 this morning, {answer.get_stiffness_display().lower()}.",
    )
    return redirect("today")


@login_required
@require_POST
@transaction.atomic
def onboard(request):
    user = request.user
    slugs = [slug for slug in request.POST.getlist("tracks") if slug_re.fullmatch(slug)]
    tracks = list(Track.objects.filter(slug__in=slugs))
    red_flags = RedFlagsForm(request.POST)
    read = user.red_flags_read_on is not None or red_flags.is_valid()
    if not tracks:
        messages.error(request, "Choose at least one track to start with.")
    if not read:
        messages.error(request, f"{red_flags.errors['red_flags'][0]} Nothing was started.")
    if not tracks or not read:
        return redirect("today")
    day = local_today(user)
    if user.red_flags_read_on is None:
        user.read_red_flags(day)
    for track in tracks:
        FollowedTrack.objects.start(user, track, day, "Started from the welcome page.")
    user.data_changed()
    messages.success(request, f"You are following {', '.join(t.name for t in tracks)}.")
    return redirect("today")


@login_required
@require_POST
@transaction.atomic
def follow(request, track_slug):
    track = get_object_or_404(Track, slug=track_slug)
    if request.user.red_flags_read_on is None:
        messages.error(
            request,
            "Before your first plan starts, read when to stop and see someone, then tick the box "
            "below.",
        )
        return redirect("progress:red_flags")
    day = local_today(request.user)
    if FollowedTrack.objects.start(request.user, track, day, "Started from the catalog."):
        request.user.data_changed()
        messages.success(request, f"You are following {track.name}. Stage 1 starts today.")
    else:
        messages.error(request, f"{track.name} has no stages yet.")
    return redirect("today")


@require_safe
def red_flags(request):
    """When to stop and see someone: for everyone, with the box to tick for those signed in
    who have not yet."""
    context = {
        "title": "When to stop and see someone",
        "description": "The signs that mean you should stop hip-flexor training and see a "
        "doctor or physiotherapist.",
        "form": RedFlagsForm(),
    }
    return render(request, "progress/red_flags.html", context)


@login_required
@require_POST
def red_flags_read(request):
    form = RedFlagsForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["red_flags"][0])
        return redirect("progress:red_flags")
    if request.user.red_flags_read_on is None:
        request.user.read_red_flags(local_today(request.user))
        request.user.data_changed()
    messages.success(request, "Thank you. You can follow tracks now.")
    return redirect("catalog")


def followed_or_404(request, track, for_update=False):
    followed = FollowedTrack.objects.for_user(request.user).following()
    if for_update:  # lock the person's row only, not the catalog rows joined to it
        followed = followed.select_for_update(of=("self",))
    return get_object_or_404(followed.select_related("track", "stage__drill"), track__slug=track)


@login_required
@require_POST
def set_state(request, track, state):
    followed = followed_or_404(request, track)
    followed.state = state
    followed.save(update_fields=["state"])
    request.user.data_changed()
    words = {
        FollowedTrack.State.PAUSED: "paused. Resume it whenever you are ready",
        FollowedTrack.State.ACTIVE: "active again",
        FollowedTrack.State.LEFT: "no longer followed. Your history stays",
    }
    messages.success(request, f"{followed.track.name} is {words[state]}.")
    return redirect("today")


@login_required
@require_POST
@transaction.atomic
def change_stage(request, track, direction):
    followed = followed_or_404(request, track, for_update=True)
    followed.stage_total = Stage.objects.filter(track_id=followed.track_id).count()
    day = local_today(request.user)
    cards = progression.track_cards(request.user, day, [followed])
    verdict = cards[0].verdict
    position = followed.stage.position + (1 if direction == "advance" else -1)
    target = Stage.objects.filter(track_id=followed.track_id, position=position).first()
    if target is None:
        messages.error(
            request,
            "This is the top of the track." if direction == "advance" else "This is stage 1.",
        )
        return redirect("today")
    if direction == "advance" and not verdict.can_advance:
        messages.error(request, f"Not yet: {verdict.reason}")
        return redirect("today")
    kind = StageChange.Kind.ADVANCE if direction == "advance" else StageChange.Kind.STEP_BACK
    StageChange.move(followed, target, kind, day, verdict).save()
    followed.stage, followed.stage_started = target, day
    followed.save(update_fields=["stage", "stage_started"])
    request.user.data_changed()
    messages.success(
        request, f"{followed.track.name}: stage {target.position} is now {target.drill.name}."
    )
    return redirect("today")


@login_required
@require_http_methods(["GET", "POST"])
def log(request, drill):
    drill = snapshot.catalog().drill(drill)
    user = request.user
    day = local_today(user)
    if request.method == "POST":
        token = parse_token(request.POST.get("token"))
        existing = token and TrainingSession.objects.filter(user=user, token=token).first()
        if existing:  # a double tap or a re-sent form
            messages.info(request, f"{drill.name} is already logged for {existing.day:%b %-d}.")
            return redirect("today")
        if "prescribed" in request.POST:
            return log_as_prescribed(request, drill, day)
    form = SessionForm(
        request.POST or None, today=day, initial={"day": day, "effort": 5, "token": uuid.uuid4()}
    )
    if request.method == "POST":
        # No initial values here: a prefilled set sent back unchanged is still a set.
        formset = NewSetFormSet(request.POST, drill=drill)
        if form.is_valid() and formset.is_valid():
            session, _ = TrainingSession.objects.record(
                user, drill, sets=formset.set_values(), **form.cleaned_data
            )
            messages.success(request, f"Logged {drill.name} for {session.day:%A, %b %-d}.")
            return redirect("today")
    last_day = None
    if request.method == "GET":  # last time's numbers, or the prescribed dose
        last_day, initial = TrainingSession.objects.for_user(user).last_sets(drill) or (None, [])
        initial = initial or TrainingSession.prescribed_sets(drill)
        formset = NewSetFormSet(drill=drill, initial=initial)
        formset.extra = len(initial)
    context = {"drill": drill, "form": form, "formset": formset, "today": day}
    return render(request, "progress/log.html", context | {"last_day": last_day})


def log_as_prescribed(request, drill, day):
    """One tap on a pain button: the dose as it stands, with that pain and effort 5."""
    form = PrescribedForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("progress:log", drill=drill.slug)
    pain = form.cleaned_data["pain"]
    sets = TrainingSession.prescribed_sets(drill)
    _, created = TrainingSession.objects.record(
        request.user, drill, token=form.cleaned_data["token"], day=day, effort=5, pain=pain,
        sets=sets,
    )  # fmt: skip
    if not created:
        messages.info(request, f"{drill.name} is already logged.")
        return redirect("today")
    messages.success(
        request,
        f"Logged {drill.name}: {drill.dose}, pain {pain}, effort 5. Different? Edit it below.",
    )
    return redirect("today")


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    session = get_object_or_404(TrainingSession.objects.with_sets(), pk=pk, user=request.user)
    day, was = local_today(request.user), (session.drill_id, session.day)
    form = SessionForm(request.POST or None, instance=session, today=day)
    formset = SetFormSet(request.POST or None, instance=session, drill=session.drill)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            formset.save()
            TrainingSession.objects.changed(
                request.user, [was, (session.drill_id, session.day)], [session.pk]
            )
        messages.success(request, "Your changes are saved.")
        return redirect("today")
    return render(
        request,
        "progress/log.html",
        {
            "drill": session.drill,
            "form": form,
            "formset": formset,
            "session": session,
            "today": day,
        },
    )


@login_required
@require_POST
def delete(request, pk):
    session = get_object_or_404(TrainingSession, pk=pk, user=request.user)
    with transaction.atomic():
        session.delete()
        TrainingSession.objects.changed(request.user, [(session.drill_id, session.day)])
    messages.success(request, f"Deleted {session.drill.name} on {session.day:%b %-d}.")
    return redirect("today")


SESSIONS_PER_PAGE = 20
SELF_TESTS_FOR_BALANCE = 6  # the knee-raise balance: the latest of these with both sides
SESSION_FILTERS = ("track", "drill", "page")


@login_required
@require_safe
@cached_page(params=SESSION_FILTERS)  # an address with them is never kept: it redirects
def history(request):
    """A look back: streaks and adherence, pain week by week, left and right, a year of
    training days and each track's stages. Every session, with filters, is on its own page
    (sessions); an address from before that split, with a filter or a page number, goes there."""
    user, query = request.user, request.GET
    if any(name in query for name in SESSION_FILTERS):
        return redirect(f"{reverse('progress:sessions')}?{query.urlencode()}", permanent=True)
    day = local_today(user)
    # Queries: followed tracks (1), their stage changes (1), a year of daily session counts
    # (1), pain by week (1), each side of the one-sided drills (1), the latest self-tests (1).
    # None grows with the years.
    timelines = overview.timelines(user, day, verdicts=False)
    counts = TrainingSession.objects.for_user(user).daily_counts(hist.heat_start(day), day)
    return render(
        request,
        "progress/history.html",
        {
            "title": "History",
            "description": "Your Hipapp history: stages reached, training days over the last "
            "year, streaks, pain and balance.",
            "today": day,
            "timelines": timelines,
            "heat": hist.heat_map(counts, day),
            "adherence": hist.adherence(set(counts), day, user.days_per_week),
            "pain_weeks": pain.by_week(user, day),
            "sides": overview.drill_balances(user, day),
            "knee": balance.latest_knee_balance(overview.self_tests(user, SELF_TESTS_FOR_BALANCE)),
        },
    )


@login_required
@require_safe
@cached_page(params=SESSION_FILTERS, slots=8)
def sessions(request):
    """Every session logged, newest first, twenty to a page, filtered by track or drill.
    Queries: the tracks followed and the drills logged, for the filter (2), and the page of
    sessions: how many in all, the rows, their sets (3)."""
    user, query = request.user, request.GET
    mine = TrainingSession.objects.for_user(user)
    drills = list(mine.drills_logged())
    tracks = [f.track for f in FollowedTrack.objects.for_user(user).joined()]
    filters = HistoryFilterForm(query or None, tracks=tracks, drills=drills)
    listing = Paginator(filters.apply(mine.listing()), SESSIONS_PER_PAGE).get_page(
        query.get("page")
    )
    listing.object_list = session_lines(listing.object_list)
    response = render(
        request,
        "progress/sessions.html",
        {
            "title": "Sessions",
            "description": "Every session you logged in Hipapp, newest first, by track or drill.",
            "drills": drills,
            "filters": filters,
            "page": listing,
            "query": filters.query_without_page(),
        },
    )
    # Kept only as the address asked for it: a filter that could not be read, or a page number
    # past the end, is answered but not kept.
    readable = not filters.is_bound or filters.is_valid()
    response.cacheable = readable and str(listing.number) == query.get("page", "1")
    return response


@login_required
@require_safe
@cached_page(slots=64)
def drill_history(request, drill):
    user, slug = request.user, drill
    day = local_today(user)
    # Queries: the last twelve weeks' sessions, side by side (1), every week's totals (1), the
    # person's stage changes to or from this drill (1). The drill comes from the process's
    # catalog.
    catalog = snapshot.catalog()
    drill = catalog.drill(slug)
    unit = "s" if drill.is_timed else "reps"
    recent_from = day - timedelta(weeks=hist.RECENT_WEEKS) + timedelta(days=1)
    rows = list(SessionSide.objects.chart_rows(user, drill, recent_from, day))
    recent = hist.chart_points(rows, drill.is_timed)
    totals = list(map(hist.Total._make, WeeklyTotal.objects.chart_rows(user, drill, day)))
    period, long_points = hist.long_series(totals, drill.is_timed)
    # The person's stage changes (a handful), those to or from this drill picked here.
    stages = catalog.stages
    marks = [
        hist.Mark(on, f"Stage {stages[to_stage].position}", kind != "step_back")
        for on, to_stage, from_stage, kind in StageChange.objects.filter(
            followed__user_id=user.pk
        ).values_list("day", "to_stage_id", "from_stage_id", "kind")
        if drill.pk in (stages[to_stage].drill_id, from_stage and stages[from_stage].drill_id)
    ]
    sides, side_balance = overview.drill_sides(drill, rows, day)
    measure = "best hold" if drill.is_timed else "total reps"
    chart = hist.line_chart(
        recent,
        marks,
        unit,
        f"{drill.name}, {measure} per session over the last {hist.RECENT_WEEKS} weeks",
        "recent",
        recent_from,
        day,
    )
    long_chart = None
    if long_points and long_points[0].day < recent_from:
        long_chart = hist.line_chart(
            long_points,
            marks,
            unit,
            f"{drill.name}, {'best hold' if drill.is_timed else 'average reps per session'} "
            f"per {period} since {long_points[0].day:%B %Y}",
            "long",
            long_points[0].day,
            hist.week_start(day) if period == "week" else day.replace(day=1),
            hist.week_of if period == "week" else hist.month_of,
        )
    return render(
        request,
        "progress/drill_history.html",
        {
            "title": f"{drill.name}: your history",
            "description": f"How your {drill.name} sessions have gone over time, with your "
            "stage changes marked.",
            "drill": drill,
            "today": day,
            "unit": unit,
            "measure": measure,
            "recent": recent,
            "recent_from": recent_from,
            "period": period,
            "long_points": long_points,
            "recent_rows": mark_safe(hist.recent_rows(recent)),
            "long_rows": mark_safe(hist.long_rows(long_points, period)),
            "chart": chart,
            "long_chart": long_chart,
            "marks": marks,
            "total_sessions": sum(t.sessions for t in totals),
            "last_week": totals[-1].week if totals else None,
            "sides": sides,
            "side_rows": mark_safe(
                hist.table_rows(
                    (
                        hist.short_day(s.day),
                        s.balance.left_text,
                        s.balance.right_text,
                        s.balance.gap_text,
                    )
                    for s in sides
                )
            ),  # fmt: skip
            "side_balance": side_balance,
        },
    )


# --- self-tests -------------------------------------------------------------------------------

SELF_TESTS_SHOWN = 24  # two years of monthly tests


@login_required
@require_safe
def self_tests(request):
    """Every self-test, newest first, with the knee-raise balance and how each measure moved.
    Queries: the tests (1)."""
    tests = balance.results(SelfTest.objects.for_user(request.user).rows()[:SELF_TESTS_SHOWN])
    return render(
        request,
        "progress/self_tests.html",
        {
            "title": "Self-tests",
            "description": "Three quick self-tests that show whether your hip training is "
            "working, and how your left and right sides compare.",
            "tests": tests,
            "knee": balance.latest_knee_balance(tests),
            "changes": balance.changes(tests),
            "shown": SELF_TESTS_SHOWN,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_test_new(request):
    user = request.user
    day = local_today(user)
    form = SelfTestForm(request.POST or None, today=day, user=user, initial={"day": day})
    if form.is_valid():
        test, created = SelfTest.objects.record(user, form.cleaned_data["day"], **form.results())
        when = f"{test.day:%A, %b} {test.day.day}"
        messages.success(
            request,
            f"Your self-test for {when} is saved."
            if created
            else f"Your self-test for {when} is updated with these numbers.",
        )
        return redirect("progress:self_tests")
    today_test = SelfTest.objects.for_user(user).filter(day=day).first()
    context = {
        "title": "Take the self-test",
        "form": form,
        "today_test": today_test,
        "cap": KNEE_RAISE_CAP,
    }
    return render(request, "progress/self_test_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def self_test_edit(request, test):
    test = get_object_or_404(SelfTest, pk=test, user=request.user)
    form = SelfTestForm(
        request.POST or None, instance=test, today=local_today(request.user), user=request.user
    )
    if form.is_valid():
        form.save()
        request.user.data_changed()
        messages.success(request, "Your changes are saved.")
        return redirect("progress:self_tests")
    context = {"title": "Edit a self-test", "form": form, "test": test, "cap": KNEE_RAISE_CAP}
    return render(request, "progress/self_test_form.html", context)


@login_required
@require_POST
def self_test_delete(request, test):
    test = get_object_or_404(SelfTest, pk=test, user=request.user)
    test.delete()
    request.user.data_changed()
    messages.success(request, f"Deleted the self-test of {test.day:%b} {test.day.day}.")
    return redirect("progress:self_tests")
