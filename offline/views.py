import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag, require_safe

from . import icons, keep

THEME = "#1f5f5b"  # base.html's theme-color, the navigation bar's teal


# Asked again at every use (Cache-Control: no-cache): the worker, the files it keeps and the
# manifest change with each release.
asked_again = cache_control(no_cache=True)


@asked_again
@require_safe
def manifest(request):
    """The web app manifest: what a phone needs to put Hipapp on its home screen."""
    data = {
        "id": reverse("today"),
        "name": "Hipapp: hip-flexor training",
        "short_name": "Hipapp",
        "description": "Hip-flexor drills, ladders from easy to hard, and a training log that "
        "works with no signal.",
        "lang": "en",
        "start_url": reverse("today"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME,
        "background_color": "#ffffff",
        "icons": [
            {
                "src": static(f"img/{name}"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "maskable" if maskable else "any",
            }
            for name, (size, maskable) in icons.names().items()
        ],
    }
    return HttpResponse(json.dumps(data, indent=1), content_type="application/manifest+json")


def worker_script() -> bytes:
    with open(finders.find(keep.WORKER), "rb") as file:
        return file.read()


# The browser asks for the worker and its list of files whenever a page opens: with the ETag
# it hears "304 Not Modified" until a release changes them.
@asked_again
@require_safe
@etag(lambda request: hashlib.blake2b(worker_script(), digest_size=8).hexdigest())
def service_worker(request):
    """static/sw.js at /sw.js, so that it controls every page ('/' scope)."""
    response = HttpResponse(worker_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@asked_again
@require_safe
@etag(lambda request: keep.static_files()[0])
def worker_files(request):
    """The static files the worker keeps, as a script it imports (importScripts): a browser
    checks it for changes with the worker itself, so a release with new files installs anew."""
    version, files = keep.static_files()
    data = {"version": version, "files": files, "offline": reverse("offline:page")}
    script = (
        "// The files Hipapp's service worker keeps for this release (offline/keep.py).\n"
        f"self.HIPAPP_KEEP = {json.dumps(data, indent=1)};\n"
    )
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")


@require_safe
def offline_page(request):
    """What the worker shows for a page it has not kept. The same for everyone (the worker
    fetches it without cookies): no name, no menu, no messages."""
    return HttpResponse(keep.offline_page())


@login_required
@require_safe
def pages(request):
    """What the worker keeps for the person signed in, who that is, and a CSRF token for
    sending what waits on the phone. Queries: the session and person (1), followed tracks (1)."""
    data = {"person": keep.person_key(request.user), "csrf": get_token(request)}
    response = JsonResponse(data | keep.pages(request.user))
    patch_cache_control(response, private=True, no_store=True)
    return response
