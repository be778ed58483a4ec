"""What the service worker (static/sw.js) keeps on a phone, and whose it is.

- The static files every page uses, by the names this release serves them under (whitenoise's
  hashed names in production), and the offline page, with a version that changes when any of
  them does: the worker imports the list from /offline/files.js, so a release with a changed
  file installs a new worker, which keeps the new files and drops the old ones.
- For a signed-in person, the pages that open with no signal: today, the session player, the
  log form of each drill their tracks are on, and the catalog with every drill's page.
- The person a page belongs to, as an opaque key the worker files the pages and the sessions
  waiting to be sent under, so one person's never reach another on the same browser.
"""

import functools
import hashlib

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import FileSystemFinder
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.urls import reverse

from exercises import snapshot
from progress.models import FollowedTrack

# Files from packages that base.html loads; our own static/ folder is kept whole.
PACKAGE_FILES = ["bootstrap/css/bootstrap.min.css", "bootstrap/js/bootstrap.bundle.min.js"]
WORKER = "sw.js"  # served at /sw.js, never from the cache


def static_files() -> tuple[str, list[str]]:
    """(version, URLs) of the files the worker keeps. Worked out once a process; on a debug
    server, on every call, so an edited file shows at the next reload."""
    if settings.DEBUG:
        return _static_files.__wrapped__()
    return _static_files()


@functools.cache
def _static_files() -> tuple[str, list[str]]:
    own = [path for path, _ in FileSystemFinder().list([]) if path != WORKER]
    names = sorted(PACKAGE_FILES + [path.replace("\\", "/") for path in own])
    version = hashlib.blake2b(digest_size=8)
    for name in names:
        with open(finders.find(name), "rb") as file:
            version.update(file.read())
    version.update(offline_page().encode())  # kept with the files
    # The manifest changes only with the icons, so it is kept with them.
    urls = [staticfiles_storage.url(name) for name in names] + [reverse("offline:manifest")]
    return version.hexdigest(), urls


def offline_page() -> str:
    """The page shown for a page not kept: the same for everyone, so without a request."""
    return render_to_string("offline/offline.html", {"title": "Offline", "messages": []})


def person_key(user) -> str:
    """The worker's name for a person: stable for as long as the account lives, and telling
    nobody anything (only the person's own browser sees it)."""
    return hashlib.blake2b(str(user.pk).encode(), digest_size=8, person=b"hipapp-owner").hexdigest()


def pages(user) -> dict:
    """The pages kept for this person, and the names of the drills (which the list of
    sessions waiting to be sent shows). One query: the tracks followed."""
    catalog = snapshot.catalog()
    stages = FollowedTrack.objects.for_user(user).following().values_list("stage_id", flat=True)
    followed = sorted({catalog.stages[stage].drill.slug for stage in stages})
    drills = sorted(catalog.drills_by_slug)
    return {
        "pages": [reverse("today"), reverse("progress:player"), reverse("catalog")]
        + [reverse("progress:log", args=[slug]) for slug in followed]
        + [reverse("exercises:drill", args=[slug]) for slug in drills],
        "drills": {slug: catalog.drills_by_slug[slug].name for slug in drills},
    }
