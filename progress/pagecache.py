"""A person's page bodies, cached until their data, the catalog or their day changes.

Today and history are the pages people open most and the dearest to build. Their body (the part
inside base.html) is cached in the shared cache under a key made of the person, their revision
(bumped by every change to what they logged, followed or set: User.data_changed), their local
day, the address with its query string, and the catalog's revision (bumped by staff edits:
exercises.revision). A hit costs one cache read instead of the page's queries and rendering.

Forms inside a cached body get the CSRF token of the request that shows them, not the one that
built them: the body is rendered with a marker in place of the token, swapped on the way out.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from exercises.revision import KEY as CATALOG_KEY

BODY_SECONDS = 24 * 60 * 60  # a day at most; the local day is in the key anyway
CSRF_MARK = "csrf-token-from-the-request-showing-this-page"


def body(request, day, build):
    """The HTML of build()'s (template, context), from the cache when nothing has changed."""
    user = request.user
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    key = f"body:{user.pk}:{user.revision}:{day.isoformat()}:{address}"
    found = cache.get_many([key, CATALOG_KEY])
    catalog = found.get(CATALOG_KEY)
    if catalog is None:  # never set, or evicted: start a new revision, which misses everything
        catalog = uuid.uuid4().hex
        cache.set(CATALOG_KEY, catalog, None)
    entry = found.get(key)
    if entry is not None and entry[0] == catalog:
        html = entry[1]
    else:
        template, context = build()
        html = render_to_string(template, context | {"csrf_token": CSRF_MARK}, request)
        cache.set(key, (catalog, html), BODY_SECONDS)
    return html.replace(CSRF_MARK, get_token(request))
