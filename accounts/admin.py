from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm

from .forms import AdminSignupForm, WeekdaysField
from .models import User


class AdminUserForm(UserChangeForm):
    weekdays = WeekdaysField(label="Training days")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = AdminSignupForm
    form = AdminUserForm
    ordering = ["email"]
    list_display = ["email", "display_name", "time_zone", "is_staff", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "display_name"]
    # Groups as a plain multi-select: Django's two-box widget labels a bare <span> (axe fails it).
    filter_horizontal = []
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "time_zone"]}),
        (
            "Plan and reminders",
            {"fields": ["weekdays", "remind_at", "remind_by", "checkin_reminder"]},
        ),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined", "red_flags_read_on"]}),
    ]
    readonly_fields = ["red_flags_read_on"]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
