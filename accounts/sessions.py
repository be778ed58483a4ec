"""Database sessions that know their owner.

This is Django's documented way of extending the database session engine ("Extending
database-backed session engines"): one extra column, the user. Deleting a person deletes
their sessions, and reading a session reads its owner in the same query, which spares every
signed-in request the query for the person (accounts.backends.SessionOwnerBackend).
"""

from django.contrib.sessions.backends.db import SessionStore as DBStore

from .models import UserSession


class SessionStore(DBStore):
    owner = None  # the person the stored session belongs to, once it is read

    @classmethod
    def get_model_class(cls):
        return UserSession

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self.owner = session.user if session is not None else None
        return session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            instance.user_id = None
        return instance
