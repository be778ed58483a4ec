from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .backends import reading_session


def get_user(request):
    """Django's lookup of the signed-in person, told which session it reads (see backends)."""
    if not hasattr(request, "_cached_user"):
        token = reading_session.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            reading_session.reset(token)
    return request._cached_user


class SessionOwnerMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, finding request.user through get_user above."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))


class TimeZoneMiddleware:
    """Show every date and time in the signed-in person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        return self.get_response(request)
