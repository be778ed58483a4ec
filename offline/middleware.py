from django.conf import settings
from django.contrib.messages.storage.base import BaseStorage

from .keep import person_key

PERSON_HEADER = "Hipapp-Person"
KEEP_HEADER = "Hipapp-Keep"  # sent by the worker with the pages it fetches to keep


class NoMessages(BaseStorage):
    """Messages for a page nobody is looking at yet: it shows none and uses none up."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


def worker(get_response):
    """What the service worker needs to hear from the pages it keeps (static/sw.js).

    - Whose page it is: each page to a signed-in person names them (Hipapp-Person, an opaque
      key), so the worker files it under them, and when another person signs in on the same
      browser it drops what it kept for the one before.
    - A page the worker fetches in the background to keep (Hipapp-Keep) shows no messages and
      uses none up: "Logged ..." waits for the page the person opens next.

    After MessageMiddleware, whose storage it swaps; reads only the person already loaded for
    the page (HTML answers to a browser with a session), so it costs no query.
    """

    def middleware(request):
        if KEEP_HEADER in request.headers:
            request._messages = NoMessages(request)
        response = get_response(request)
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and response.get("Content-Type", "").startswith("text/html")
            and request.user.is_authenticated
        ):
            response[PERSON_HEADER] = person_key(request.user)
        return response

    return middleware
