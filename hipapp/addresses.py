"""Django's reverse(), remembered: the same name and arguments give the same address for as
long as the process runs (the URLconf does not change under it). A page asks for dozens (each
track card's forms and drill link, each session's edit link), at up to 50 µs each."""

import functools

from django.urls import get_script_prefix, reverse


def url(name, *args, **kwargs):
    """reverse(name, args=args), remembered; with keyword arguments, reverse() as it is."""
    if kwargs:
        return reverse(name, kwargs=kwargs)
    return _reverse(get_script_prefix(), name, args)


@functools.lru_cache(maxsize=4096)
def _reverse(prefix, name, args):
    return reverse(name, args=args or None)
