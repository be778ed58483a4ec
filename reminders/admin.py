from django.contrib import admin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """What send_reminders did: read-only, for staff looking into a missing reminder."""

    list_display = ["user", "day", "kind", "status", "attempts", "sent_by", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["user__email"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
