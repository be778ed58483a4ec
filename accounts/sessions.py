"""Database sessions that know their owner, so deleting a person deletes their sessions.

This is Django's documented way of extending the database session engine
("Extending database-backed session engines"): one extra column, the user.
"""

from django.contrib.sessions.backends.db import SessionStore as DBStore

from .models import UserSession


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            instance.user_id = None
        return instance
