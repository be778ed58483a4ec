import threading

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, UserCreationForm

from .models import (
    WEEKDAY_NAMES,
    Remind,
    User,
    normalize_email,
    time_zone_names,
    weekday_bits,
    weekday_list,
)
from .throttling import check_current_password

TIME_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in time_zone_names()]


class EmailField(forms.EmailField):
    """An email address in its one spelling (accounts.models.normalize_email). The address is
    checked after it is normalised, so what is looked up or stored is always a valid address
    of at most 254 characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_email(super().to_python(value))


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=TIME_ZONE_CHOICES, **kwargs)


class SignupForm(UserCreationForm):
    email = EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    # Filled in by static/js/timezone.js from the browser; UTC when scripts are off.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = User
        fields = ["email"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                "An account with this email address already exists. "
                "Sign in, or reset your password."
            )
        return email

    def clean_time_zone(self):
        zone = self.cleaned_data.get("time_zone") or "UTC"
        return zone if zone in time_zone_names() else "UTC"

    def save(self, commit=True):
        user = super().save(commit=False)
        user.time_zone = self.cleaned_data["time_zone"]
        if commit:
            user.save()
        return user


class AdminSignupForm(AdminUserCreationForm):
    email = EmailField(label="Email address")

    class Meta:
        model = User
        fields = ["email"]


class EmailAuthenticationForm(AuthenticationForm):
    username = EmailField(
        label="Email",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        "invalid_login": (
            "That email and password do not match an account. Check both and try again."
        ),
        "inactive": "This account is inactive.",
    }


class WeekdaysField(forms.TypedMultipleChoiceField):
    """Ticked weekdays, stored as User.weekdays' bits; at least one."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=list(enumerate(WEEKDAY_NAMES)),
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Choose at least one training day."},
            **kwargs,
        )

    def prepare_value(self, value):
        return weekday_list(value) if isinstance(value, int) else value

    def clean(self, value):
        return weekday_bits(super().clean(value))


class SettingsForm(forms.ModelForm):
    time_zone = TimeZoneField(help_text="Your days and weeks are counted in this time zone.")
    weekdays = WeekdaysField(label="Training days")
    remind_at = forms.TimeField(
        label="Reminder time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter a time of day such as 07:30 or 18:00."},
        help_text="On training days, in your time zone.",
    )

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "weekdays", "remind_at", "remind_by"]
        fields += ["checkin_reminder"]
        widgets = {"remind_by": forms.RadioSelect}

    def __init__(self, *args, push=True, **kwargs):
        """push: whether reminders on devices can be offered (VAPID keys are set)."""
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("You", "display_name", "time_zone"),
            Fieldset("Training plan", InlineCheckboxes("weekdays")),
            Fieldset("Reminders", "remind_at", "remind_by", "checkin_reminder"),
        )
        if not push:
            self.fields["remind_by"].choices = [
                (Remind.EMAIL, "By email"),
                (Remind.NONE, "No reminders"),
            ]
            chosen = Remind(self.instance.remind_by)
            self.initial["remind_by"] = Remind.EMAIL if chosen.by_email else Remind.NONE


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my account and everything I logged will be deleted for good.",
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not check_current_password(self.request, self.request.user, password):
            raise forms.ValidationError("That is not your current password.")
        return password


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = EmailField(label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def get_users(self, email):
        return (
            user
            for user in User.objects.filter(email=email, is_active=True)
            if user.has_usable_password()
        )

    def send_mail(self, *args, **kwargs):
        """Send from a thread of its own, so that the answer does not wait for the mail server:
        a known and an unknown address answer in the same time. (Everything the email needs is
        read before; the thread touches no database.)"""
        sender = threading.Thread(
            target=super().send_mail, args=args, kwargs=kwargs, name="password-reset-email"
        )
        sender.start()


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the old password checked (and wrong ones counted) as at sign-in."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        password = self.cleaned_data["old_password"]
        if not check_current_password(self.request, self.user, password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return password
