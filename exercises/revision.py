"""The catalog's revision: a token that changes whenever staff change the catalog, so pages
built with an older catalog are rebuilt (hipapp/pagecache.py).

The token lives in a database row (CatalogRevision), which nothing evicts; the shared cache
keeps a copy so that a cached page costs no query for it. When the copy is gone (evicted,
or the cache was emptied), the row gives the same token back.
"""

import threading
import uuid

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.dispatch import receiver

KEY = "catalog-revision"

# What the request this thread serves has read: .serving, .token.
_request = threading.local()


def current(copy: str | None = None) -> str:
    """The catalog's token: the cache's copy when the caller has it, else the database row."""
    if copy is not None:
        return copy
    from .models import CatalogRevision

    row = CatalogRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    token = row.hex if row else "none"  # the row is made by the migration that adds it
    cache.set(KEY, token, None)
    return token


def this_request() -> str:
    """The catalog's token, read once a request (Django's request_started and request_finished
    mark one; every call outside a request reads it): the pages that ask the catalog several
    times (exercises.snapshot) pay one cache read."""
    token = getattr(_request, "token", None)
    return remember(current(cache.get(KEY))) if token is None else token


def remember(token: str) -> str:
    """The token the caller read (hipapp.pagecache reads it with the page), kept for the rest of
    the request so that the catalog's snapshot does not read it again."""
    if getattr(_request, "serving", False):
        _request.token = token
    return token


@receiver(request_started)
def _request_began(**kwargs):
    _request.serving, _request.token = True, None


@receiver(request_finished)
def _request_ended(**kwargs):
    _request.serving, _request.token = False, None


def catalog_changed() -> None:
    from .models import CatalogRevision

    token = uuid.uuid4()
    CatalogRevision.objects.update_or_create(pk=1, defaults={"token": token})
    cache.set(KEY, token.hex, None)
    _request.token = None  # read anew, should this request ask again
