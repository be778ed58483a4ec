import hashlib
import ipaddress
import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
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


def within_hourly_limit(scope: str, key: str, limit: int) -> bool:
    """Count one request for `key` (an address, an email) under `scope`; False once more than
    `limit` have come in this clock hour.

    The counters live in Django's cache, shared by every app server (the database cache, or
    Redis with REDIS_URL), and expire with their hour. Keys are hashed, so no email address is
    kept in the cache and any text makes a valid key.
    """
    cache_key, expires_in = _hour_key(scope, key)
    cache.add(cache_key, 0, expires_in)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between the two calls
        count = 1
        cache.set(cache_key, count, expires_in)
    # incr() re-saves the value with the default timeout on backends without an incr of their
    # own (the database cache): give the counter back the end of its hour.
    cache.touch(cache_key, expires_in)
    return count <= limit


def hourly_count(scope: str, key: str) -> int:
    """How many requests for `key` under `scope` within_hourly_limit has counted this clock
    hour, counting none: to refuse before the work that would be counted (a share link looked
    up), when only failures are counted."""
    return cache.get(_hour_key(scope, key)[0], 0)


def _hour_key(scope: str, key: str) -> tuple[str, int]:
    """The counter's cache key for this clock hour, and the seconds left in the hour."""
    hour, elapsed = divmod(int(time.time()), 3600)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"limit:{scope}:{hour}:{digest}", 3600 - elapsed


def client_network(request) -> str:
    """The client address for rate limits: an IPv6 client is its /64, which one household or
    server usually holds whole."""
    address = client_ip(request) or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


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
