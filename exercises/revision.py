"""The catalog's revision: a token that changes whenever staff change the catalog, so pages
built with an older catalog are rebuilt (hipapp/pagecache.py).

The token lives in a database row (CatalogRevision), which nothing evicts; the shared cache
keeps a copy so that a cached page costs no query for it. When the copy is gone (evicted,
or the cache was emptied), the row gives the same token back.
"""

import uuid

from django.core.cache import cache

KEY = "catalog-revision"


def current(copy: str | None = None) -> str:
    """The catalog's token: the cache's copy when the caller has it, else the database row."""
    if copy is not None:
        return copy
    from .models import CatalogRevision

    row = CatalogRevision.objects.filter(pk=1).values_list("token", flat=True).first()
    token = row.hex if row else "none"  # the row is made by the migration that adds it
    cache.set(KEY, token, None)
    return token


def catalog_changed() -> None:
    from .models import CatalogRevision

    token = uuid.uuid4()
    CatalogRevision.objects.update_or_create(pk=1, defaults={"token": token})
    cache.set(KEY, token.hex, None)
