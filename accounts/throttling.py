from django.conf import settings
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
