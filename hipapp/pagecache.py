"""Pages cached whole until the person's data, the catalog or their day changes.

Today, history and the catalog are the pages people open most. They are cached whole in the
shared cache under a key made of the person (or "visitor" for everyone signed out), their
revision (bumped by every change to what they logged, followed or set: User.data_changed),
their local day, the address with its query string, and the catalog's revision (bumped by
staff edits: exercises.revision). A hit costs one cache read instead of the page's queries and
rendering.

Two things belong to the request showing a page, not to the one that built it: the CSRF token
in its forms and the messages on top. The page is built with markers in their place, swapped
on the way out.
"""

import hashlib
import re
import uuid

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from exercises.revision import KEY as CATALOG_KEY

BETWEEN_TAGS = re.compile(r">\s{2,}<")  # template indentation: one space shows the same
PAGE_SECONDS = 24 * 60 * 60  # a day at most; the local day is in the key anyway
CSRF_MARK = "csrf-token-of-the-request-showing-this-page"
MESSAGES_MARK = mark_safe("<!-- messages of the request showing this page -->")


def page(request, day, build):
    """base.html around build()'s (template, context), from the cache when nothing changed.
    The context gives the page's title and may give its description."""
    user = request.user
    owner = f"{user.pk}:{user.revision}" if user.is_authenticated else "visitor"
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    key = f"page:{owner}:{day.isoformat()}:{address}"
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
        context |= {
            "body_template": template,
            "csrf_token": CSRF_MARK,
            "messages_mark": MESSAGES_MARK,
        }
        html = BETWEEN_TAGS.sub("> <", render_to_string("page.html", context, request))
        cache.set(key, (catalog, html), PAGE_SECONDS)
    messages = get_messages(request)
    shown = render_to_string("includes/messages.html", {"messages": messages}) if messages else ""
    if CSRF_MARK in html:  # only pages with a form: a visitor's catalog sets no CSRF cookie
        html = html.replace(CSRF_MARK, get_token(request))
    return HttpResponse(html.replace(MESSAGES_MARK, shown, 1))
