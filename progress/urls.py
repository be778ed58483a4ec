from django.urls import path

from . import views
from .models import FollowedTrack

app_name = "progress"

urlpatterns = [
    path("start/", views.onboard, name="onboard"),
    path("today/check-in/", views.check_in, name="check_in"),
    path("today/session/", views.player, name="player"),
    path("today/session/<slug:drill>/", views.player_save, name="player_save"),
    path("red-flags/", views.red_flags, name="red_flags"),
    path("red-flags/read/", views.red_flags_read, name="red_flags_read"),
    path("log/<slug:drill>/", views.log, name="log"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:pk>/edit/", views.edit, name="edit"),
    path("sessions/<int:pk>/delete/", views.delete, name="delete"),
    path("self-tests/", views.self_tests, name="self_tests"),
    path("self-tests/new/", views.self_test_new, name="self_test_new"),
    path("self-tests/<int:test>/edit/", views.self_test_edit, name="self_test_edit"),
    path("self-tests/<int:test>/delete/", views.self_test_delete, name="self_test_delete"),
    path("tracks/<slug:track_slug>/follow/", views.follow, name="follow"),
    path(
        "tracks/<slug:track>/pause/",
        views.set_state,
        {"state": FollowedTrack.State.PAUSED},
        name="pause",
    ),
    path(
        "tracks/<slug:track>/resume/",
        views.set_state,
        {"state": FollowedTrack.State.ACTIVE},
        name="resume",
    ),
    path(
        "tracks/<slug:track>/leave/",
        views.set_state,
        {"state": FollowedTrack.State.LEFT},
        name="leave",
    ),
    path(
        "tracks/<slug:track>/advance/",
        views.change_stage,
        {"direction": "advance"},
        name="advance",
    ),
    path(
        "tracks/<slug:track>/step-back/",
        views.change_stage,
        {"direction": "back"},
        name="step_back",
    ),
]
