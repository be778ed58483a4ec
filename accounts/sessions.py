"""Database sessions that know their owner.

Django's documented way of extending the database session engine ("Extending
database-backed session engines"): one extra column, the person signed in, so that deleting
a person deletes their sessions with them. Everything else is Django's `db` engine.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore


class SessionStore(DBStore):
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
