"""Signing in by email and password, and finding the signed-in person without a query of its own.

Django reads the session (one query) and then the person it names (a second query) on every
request. Our sessions carry their owner (accounts.sessions), read in the same query as the
session, so the backend hands that person back instead of asking the database again. Django
still does everything else as before: the person must be the one the session names, be
active, and match the session's password hash.
"""

from contextvars import ContextVar

from django.contrib.auth.backends import ModelBackend

# The session of the request whose person is being looked up, set for that lookup only
# (accounts.middleware.SessionOwnerMiddleware).
reading_session = ContextVar("reading_session", default=None)


class SessionOwnerBackend(ModelBackend):
    def get_user(self, user_id):
        owner = getattr(reading_session.get(), "owner", None)
        if owner is not None and owner.pk == user_id:
            return owner if self.user_can_authenticate(owner) else None
        return super().get_user(user_id)
