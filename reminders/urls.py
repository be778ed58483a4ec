from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("account/devices/", views.add_device, name="add_device"),
    path("account/devices/<int:device>/remove/", views.remove_device, name="remove_device"),
    path("account/calendar/", views.new_calendar, name="new_calendar"),
    path("account/calendar/stop/", views.stop_calendar, name="stop_calendar"),
    path("calendar/<slug:secret>.ics", views.calendar_feed, name="calendar"),
    path("reminders/stop/<str:token>/", views.stop_emails, name="stop"),
]
