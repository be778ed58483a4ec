"""Database sessions that know their owner, read through the cache.

Django's `cached_db` engine, extended the documented way ("Extending database-backed
session engines"): one extra column, the person signed in, so that deleting a person deletes
their sessions with them (User.delete_account deletes the cached copies too). Every signed-in
request reads its session from the cache, Django's own cache query instead of an ORM one.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.core.cache import caches


def session_cache():
    """The cache the sessions are kept in (Django's SESSION_CACHE_ALIAS)."""
    return caches[settings.SESSION_CACHE_ALIAS]


class SessionStore(CachedDBStore):
    @classmethod
    def get_model_class(cls):
        from .models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            instance.user_id = None
        return instance
