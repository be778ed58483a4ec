"""Addresses a page prints, remembered for as long as the process runs.

- url(): Django's reverse(). The URLconf does not change under a running process, and a page
  asks for dozens (each track card's forms and drill link, each session's edit link), at up to
  50 µs each.
- static(): Django's {% static %}. The static files' names (hashed, from the manifest
  collectstatic wrote) do not change under a running process either, and each costs a
  manifest lookup and a urljoin; every page prints about eight.

Both forget what they remembered when a test changes the settings they read.
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static as django_static
from django.urls import get_script_prefix, reverse


def url(name, *args, **kwargs):
    """reverse(name, args=args), remembered; with keyword arguments, reverse() as it is."""
    if kwargs:
        return reverse(name, kwargs=kwargs)
    return _reverse(get_script_prefix(), name, args)


@functools.lru_cache(maxsize=4096)
def _reverse(prefix, name, args):
    return reverse(name, args=args or None)


@functools.lru_cache(maxsize=512)
def static(path):
    """The address of a static file, as {% static path %} gives it."""
    return django_static(path)


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
    if setting in ("STORAGES", "STATIC_URL", "STATIC_ROOT"):
        static.cache_clear()
