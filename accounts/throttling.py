from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from ipware import get_client_ip

from .models import normalize_email


def client_ip(request) -> str | None:
    """The address a request comes from, for sign-in throttling and rate limits.

    With no proxy in front (HIPAPP_PROXY_COUNT=0) it is REMOTE_ADDR. Behind N trusted proxies,
    each of which appends the address it was reached from to X-Forwarded-For, it is the N-th
    entry from the right: the right-most one no trusted proxy wrote. Entries further left are
    whatever the client sent and are never believed. A request with fewer entries than proxies
    reached the app some other way and is counted at REMOTE_ADDR.
    """
    proxies = settings.HIPAPP_PROXY_COUNT
    if proxies:
        # django-ipware counts the proxies after the client within the header; the last proxy
        # is REMOTE_ADDR, not an entry.
        address, _ = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR")


def login_username(request, credentials):
    """The name django-axes counts failures under: the email in its one spelling, so that
    'Alice@' and its full-width spelling share one counter, cleaned of what no column takes."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return normalize_email(username.replace("\x00", ""))[:254]


def check_current_password(request, user, password: str) -> bool:
    """Check a signed-in person's password (to change it, or to delete the account) the way
    sign-in checks it: a wrong one counts as a failed sign-in for that email from this address,
    and once the pair is locked even the right one is refused, so a session left open is no
    place to guess passwords without limit."""
    credentials = {"username": user.email}
    if AxesProxyHandler.is_allowed(request, credentials) and user.check_password(password):
        return True
    # Django's own failure signal, which django-axes counts; at the limit its middleware
    # answers with the lockout page, as for sign-in.
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return False
