import csv
import json

from axes.utils import reset
from django.conf import settings as conf
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from reminders.sending import push_configured
from reminders.views import account_context

from .forms import (
    DeleteAccountForm,
    PasswordChangeForm,
    PasswordResetForm,
    SettingsForm,
    SignupForm,
)
from .throttling import client_network, within_hourly_limit


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("today")
    # The form says when an address already has an account (people need to know to sign in
    # instead), so one connection may try only so many sign-ups an hour.
    if request.method == "POST" and not within_hourly_limit(
        "signup-from", client_network(request), conf.HIPAPP_SIGNUPS_PER_HOUR
    ):
        context = {"form": SignupForm(), "throttled": True}
        return render(request, "accounts/signup.html", context, status=429)
    form = SignupForm(request.POST or None)
    if form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Hipapp. Your account is ready.")
        return redirect("today")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings(request):
    """Name, time zone, plan days and reminders; the reminders app adds the devices that take
    push reminders and the calendar link."""
    form = SettingsForm(request.POST or None, instance=request.user, push=push_configured())
    if form.is_valid():
        form.save()
        request.user.data_changed()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    context = {"form": form} | account_context(request)
    return render(request, "accounts/settings.html", context)


def export_data(user) -> dict:
    """Everything the person has given Hipapp, as plain values: their account here, their
    training from progress/ (progress.export)."""
    from progress.export import training_data

    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "days_per_week": user.days_per_week,
            "joined": user.date_joined.isoformat(),
            "red_flags_read_on": user.red_flags_read_on and user.red_flags_read_on.isoformat(),
        },
    } | training_data(user)


# The self-tests' CSV columns and the JSON keys they hold.
SELF_TEST_COLUMNS = {
    "knee raise left (s)": "knee_raise_left_seconds",
    "knee raise right (s)": "knee_raise_right_seconds",
    "leg-lift stage (0-4)": "leg_lift_stage",
    "everyday hips (0-10)": "everyday_hips",
}


class SpreadsheetWriter:
    """csv.writer, with cells that a spreadsheet shows as written: text it would run as a
    formula gets a leading apostrophe, so a note such as '=HYPERLINK(...)' stays a note."""

    FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

    def __init__(self, file):
        self.writer = csv.writer(file)

    def writerow(self, row):
        self.writer.writerow(
            "'" + cell if isinstance(cell, str) and cell.startswith(self.FORMULA_STARTS) else cell
            for cell in row
        )


@login_required
@require_safe
def export(request):
    kind = request.GET.get("format")
    if kind not in {"csv", "json"}:
        return render(request, "accounts/export.html")
    data = export_data(request.user)
    stamp = timezone.localdate().isoformat()
    if kind == "json":
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = SpreadsheetWriter(response)
        writer.writerow(["section", "field", "value"])
        for field, value in data["account"].items():
            writer.writerow(["account", field, value])
        writer.writerow([])
        writer.writerow(["day", "drill", "set", "reps", "seconds", "side", "load", "effort",
                         "pain", "note"])  # fmt: skip
        for session in data["sessions"]:
            for n, entry in enumerate(session["sets"], start=1):
                writer.writerow(
                    [session["day"], session["drill"], n, entry["reps"], entry["seconds"],
                     entry["side"], entry["load"], session["effort"], session["pain"],
                     session["note"]]
                )  # fmt: skip
        writer.writerow([])
        writer.writerow(["morning", "pain", "stiffness", "skipped"])
        for check_in in data["check_ins"]:
            writer.writerow([check_in["day"], check_in["pain"], check_in["stiffness"],
                             check_in["skipped"]])  # fmt: skip
        writer.writerow([])
        writer.writerow(["self-test", *list(SELF_TEST_COLUMNS)])
        for test in data["self_tests"]:
            writer.writerow([test["day"], *(test[key] for key in SELF_TEST_COLUMNS.values())])
    response["Content-Disposition"] = f'attachment; filename="hipapp-export-{stamp}.{kind}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    form = DeleteAccountForm(request, request.POST or None)
    if form.is_valid():
        user = request.user
        logout(request)
        user.delete_account()
        messages.success(request, "Your account and everything in it have been deleted.")
        response = redirect("home")
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
    return render(request, "accounts/delete.html", {"form": form})


# What the browser drops when a person signs out or deletes their account: its HTTP cache and
# everything the site stored, the offline app's kept pages, waiting sessions and service worker
# included, so that the next person on the same browser finds none of it.
CLEAR_SITE_DATA = '"cache", "storage"'


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, rate-limited: HIPAPP_RESET_REQUESTS_PER_HOUR requests from one
    connection (answered with a message), HIPAPP_RESET_EMAILS_PER_HOUR emails to one address
    (past that, the same answer and no email, so the limit tells nothing about accounts)."""

    form_class = PasswordResetForm

    def post(self, request, *args, **kwargs):
        if not within_hourly_limit(
            "reset-from", client_network(request), conf.HIPAPP_RESET_REQUESTS_PER_HOUR
        ):
            return self.render_to_response(self.get_context_data(throttled=True), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if within_hourly_limit("reset-to", email, conf.HIPAPP_RESET_EMAILS_PER_HOUR):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # The lockout page sends people here: a new password set through the emailed link
        # lifts every sign-in lock on the account.
        reset(username=form.user.email)
        return response
