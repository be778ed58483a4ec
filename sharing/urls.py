from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("account/sharing/", views.manage, name="manage"),
    path("account/sharing/<int:link>/revoke/", views.revoke, name="revoke"),
    path("shared/<str:secret>/", views.shared, name="shared"),
]
