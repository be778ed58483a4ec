"""The catalog's revision: a token in the shared cache that changes whenever staff change the
catalog, so pages cached with an older catalog are rebuilt (hipapp/pagecache.py)."""

import uuid

from django.core.cache import cache

KEY = "catalog-revision"


def catalog_changed():
    cache.set(KEY, uuid.uuid4().hex, None)
