from django.urls import path

from . import views

app_name = "offline"

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline_page, name="page"),
    path("offline/files.js", views.worker_files, name="files"),
    path("offline/pages/", views.pages, name="pages"),
]
