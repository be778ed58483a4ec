from django.contrib import admin
from django.urls import include, path

from progress import views as progress_views

from . import views

admin.site.site_header = "Hipapp staff"
admin.site.site_title = "Hipapp staff"
admin.site.index_title = "Catalog and people"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("", include("accounts.urls")),
    path("today/", progress_views.today, name="today"),
    path("history/", progress_views.history, name="history"),
    path("history/<slug:drill>/", progress_views.drill_history, name="drill_history"),
    path("", include("progress.urls")),
    path("", include("reminders.urls")),
    path("", include("sharing.urls")),
    path("", include("offline.urls")),
    path("drills/", progress_views.catalog, name="catalog"),
    path("drills/", include("exercises.urls")),
    path("admin/", admin.site.urls),
]
