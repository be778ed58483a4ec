from django.urls import path

from . import views

app_name = "offline"

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
