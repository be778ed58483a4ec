import csv
import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from .forms import DeleteAccountForm, SettingsForm, SignupForm

AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("today")
    form = SignupForm(request.POST or None)
    if form.is_valid():
        user = form.save()
        login(request, user, backend=AUTH_BACKEND)
        messages.success(request, "Welcome to Hipapp. Your account is ready.")
        return redirect("today")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings(request):
    form = SettingsForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


def export_data(user) -> dict:
    """Everything the person has given Hipapp, as plain values."""
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "days_per_week": user.days_per_week,
            "joined": user.date_joined.isoformat(),
        },
    }


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
        writer = csv.writer(response)
        writer.writerow(["section", "field", "value"])
        for field, value in data["account"].items():
            writer.writerow(["account", field, value])
    response["Content-Disposition"] = f'attachment; filename="hipapp-export-{stamp}.{kind}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if form.is_valid():
        user = request.user
        logout(request)
        user.delete_account()
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
