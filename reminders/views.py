from django.conf import settings as conf
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Remind, User

from . import calendar
from .forms import SubscriptionForm
from .messages import site_url, stop_token_user_id
from .models import CalendarFeed, PushSubscription
from .sending import push_configured

NEW_SECRET = "reminders:calendar-secret"  # the session key of a secret shown once


def account_context(request) -> dict:
    """What the account page shows of reminders: two queries (devices, calendar feed)."""
    secret = request.session.pop(NEW_SECRET, None)
    feed_url = None
    if secret:
        feed_url = site_url(f"/calendar/{secret}.ics")
    push = push_configured()
    return {
        "push_key": conf.VAPID_PUBLIC_KEY if push else "",
        "devices": list(PushSubscription.objects.filter(user=request.user)) if push else [],
        "subscription_form": SubscriptionForm(),
        "calendar_feed": CalendarFeed.objects.filter(user=request.user).first(),
        "calendar_url": feed_url,
        "calendar_webcal": feed_url and "webcal://" + feed_url.split("://", 1)[1],
    }


@login_required
@require_POST
def add_device(request):
    """A browser subscribed (static/js/push.js filled in the form and sent it)."""
    form = SubscriptionForm(request.POST)
    if not push_configured():
        messages.error(request, "Reminders on devices are not offered here.")
    elif form.is_valid():
        device = form.save_for(request.user, request.headers.get("User-Agent", ""))
        messages.success(request, f"{device.device} will get your reminders.")
    else:
        messages.error(request, "This device could not be added. Try again, or use email.")
    return redirect("accounts:settings")


@login_required
@require_POST
def remove_device(request, device):
    get_object_or_404(PushSubscription, pk=device, user=request.user).delete()
    messages.success(request, "That device will get no more reminders.")
    return redirect("accounts:settings")


@login_required
@require_POST
def new_calendar(request):
    request.session[NEW_SECRET] = CalendarFeed.objects.renew(request.user)
    messages.success(request, "Your calendar link is ready. Any link from before stops working.")
    return redirect("accounts:settings")


@login_required
@require_POST
def stop_calendar(request):
    CalendarFeed.objects.filter(user=request.user).delete()
    messages.success(request, "Your calendar link is off.")
    return redirect("accounts:settings")


@require_safe
def calendar_feed(request, secret):
    feed = CalendarFeed.objects.by_secret(secret)
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    now = timezone.now()
    today = timezone.localdate(now, timezone=feed.user.zone)
    response = HttpResponse(
        calendar.plan_calendar(feed, today, now), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="hipapp.ics"'
    patch_cache_control(response, private=True, max_age=900)
    return response


@csrf_exempt  # mail apps post the one-click unsubscribe (RFC 8058); the signed token is the key
@require_http_methods(["GET", "POST"])
def stop_emails(request, token):
    """Turn a person's reminder emails off from the link in one, without signing in. A GET
    asks first (link checkers and previews open links); a POST turns them off."""
    user = User.objects.filter(pk=stop_token_user_id(token), is_active=True).first()
    if user is None:
        return render(request, "reminders/stop_invalid.html", status=404)
    if request.method == "POST":
        channels = Remind(user.remind_by)
        if channels.by_email:
            user.remind_by = Remind.PUSH if channels.by_push else Remind.NONE
            user.save(update_fields=["remind_by"])
        return render(request, "reminders/stopped.html")
    return render(request, "reminders/stop.html")
