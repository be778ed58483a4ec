"""Whole pages kept in the shared cache until something they show changes.

How a page is cached. A view decorated with @cached_page renders as any Django view does.
Its HTML is kept in the shared cache (CACHES["default"]: the database, or Redis) with a
stamp of what it was built from:
- the person's revision, which every change to what they logged, followed or set bumps
  (User.data_changed()), or "visitor" for people not signed in;
- the person's local day, since "today" moves at their midnight;
- the catalog's revision, which staff edits change (exercises.revision; a database row, so no
  eviction can lose it).
The next request for the same page gets the kept HTML while the stamp still matches, and
builds the page anew, replacing the entry, once it does not. Nothing is deleted on a write.
The HTML is kept compressed (zlib, fastest level): history's 60 kB is 9 kB in the cache, and
a kept page costs less to read back (the database cache stores values as base64 text) than
the decompression costs.

The keys are bounded:
- A person's pages sit in a fixed number of slots a view (the `slots` argument), picked by
  hashing the path and only the query parameters the view reads (`params`), so a person has
  at most a few dozen entries whatever they click or append to an address. Deleting an
  account deletes them all (forget()).
- Pages that are the same for everyone signed in (`shared=True`: a drill's page) are kept
  once for visitors, once for people and once for staff, by path. Only answers of 200 are
  kept, so every such path is a real drill.
- A view that answers a request it does not want kept (a filter it could not read, a page
  number past the end) sets `response.cacheable = False`.

Two things belong to the request that shows a page, not to the one that built it: the CSRF
token in its forms and the messages above it. The page is built with random markers in their
place (the context processor `marks`, read by base.html), swapped on the way out. A marker
is new for every build and never leaves the server, so nobody can type one into a note.

With HIPAPP_PAGE_CACHE=false (settings.PAGE_CACHE), every request builds its page.
"""

import functools
import hashlib
import secrets
import zlib
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from exercises import revision

PREFIX = "zpage"  # entries hold zlib-compressed HTML (the "page:" entries before held text)
PAGE_SECONDS = 24 * 60 * 60  # a day at most; the local day is in the stamp anyway
PERSONAL_VIEWS: dict[str, int] = {}  # view name -> slots, for forget()


@dataclass(frozen=True)
class Marks:
    csrf: str
    messages: str


def marks(request):
    """Context processor: the CSRF token and field, and where the messages go.

    On a page being kept (see cached_page), markers stand in for the token and the messages.
    Otherwise the request's own token, worked out once a page (the Jinja2 backend's own are
    lazy strings that mask the token anew for every form) and only if a form prints it, so a
    page without a form sets no CSRF cookie."""
    found = getattr(request, "page_marks", None)
    token = found.csrf if found else SimpleLazyObject(lambda: get_token(request))
    field = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
    return {
        "csrf_token": token,
        "csrf_input": SimpleLazyObject(lambda: format_html(field, token)),
        "messages_mark": mark_safe(found.messages) if found else "",
    }


def cached_page(*, params=(), slots=1, shared=False):
    """Keep the view's page in the shared cache (see the module's docstring)."""

    def decorate(view):
        name = f"{view.__module__}.{view.__name__}"
        if not shared:
            PERSONAL_VIEWS[name] = slots

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not settings.PAGE_CACHE:
                return view(request, *args, **kwargs)
            user = request.user
            address = request.path
            read = sorted((p, request.GET.get(p)) for p in params if request.GET.get(p))
            if read:
                address += "?" + urlencode(read)
            if shared or not user.is_authenticated:
                who = "staff" if user.is_staff else "member" if user.is_authenticated else "visitor"
                key = f"{PREFIX}:{who}:{digest(address)}"
                stamp = (who, timezone.localdate().isoformat())
            else:
                key = personal_key(user, name, int(digest(address), 16) % slots)
                day = timezone.localdate(timezone=user.zone).isoformat()
                stamp = (user.revision, day)
            found = cache.get_many([key, revision.KEY])
            stamp += (revision.remember(revision.current(found.get(revision.KEY))), address)
            entry = found.get(key)
            if entry is not None and entry[0] == stamp:
                _, kept_marks, packed = entry
                html = zlib.decompress(packed).decode()
            else:
                kept_marks = Marks(secrets.token_hex(16), secrets.token_hex(16))
                request.page_marks = kept_marks
                try:
                    response = view(request, *args, **kwargs)
                finally:  # an error page drawn after this is not kept: no markers in it
                    del request.page_marks
                if response.status_code != 200 or not getattr(response, "cacheable", True):
                    return finish(request, response, kept_marks)
                html = response.content.decode()
                packed = zlib.compress(response.content, 1)
                cache.set(key, (stamp, kept_marks, packed), PAGE_SECONDS)
            return finish(request, HttpResponse(html), kept_marks)

        return wrapper

    return decorate


def finish(request, response, kept_marks):
    """The page as this request shows it: its own CSRF token and messages in place."""
    if not hasattr(response, "content") or response.status_code != 200:
        return response
    html = response.content.decode()
    if kept_marks.csrf in html:  # only pages with a form: a visitor's catalog sets no cookie
        html = html.replace(kept_marks.csrf, get_token(request))
    messages = get_messages(request)
    shown = render_to_string("includes/messages.html", {"messages": messages}) if messages else ""
    response.content = html.replace(kept_marks.messages, shown, 1)
    return response


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def personal_key(user, view_name: str, slot: int) -> str:
    return f"{PREFIX}:{user.pk}:{view_name}:{slot}"


def forget(user) -> None:
    """Delete every page kept for this person (their account is being deleted)."""
    import_module(settings.ROOT_URLCONF)  # the views, which register their slots
    cache.delete_many(
        [
            personal_key(user, name, slot)
            for name, slots in PERSONAL_VIEWS.items()
            for slot in range(slots)
        ]
    )
