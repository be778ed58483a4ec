"""Database sessions that know their owner.

This is Django's documented way of extending the database session engine ("Extending
database-backed session engines"): one extra column, the user. Deleting a person deletes
their sessions, and reading a signed-in session reads its owner in the same query, which
spares every signed-in request a query of its own for the person
(accounts.backends.SessionOwnerBackend).

That read is the one query every signed-in page runs, so it is written out in SQL: the ORM
spends more time composing it than the database spends answering it.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db import connection
from django.utils import timezone

from .models import User, UserSession


def owned_session_sql() -> str:
    """The unexpired session with this key, and its owner's row; no row for a visitor's."""
    name = connection.ops.quote_name
    return (
        f"SELECT u.*, s.session_data AS stored_session_data"
        f" FROM {name(UserSession._meta.db_table)} s JOIN {name(User._meta.db_table)} u"
        f" ON u.id = s.user_id WHERE s.session_key = %s AND s.expire_date > %s"
    )


class SessionStore(DBStore):
    owner = None  # the person the stored session belongs to, once it is read

    @classmethod
    def get_model_class(cls):
        return UserSession

    def _get_session_from_db(self):
        owners = User.objects.raw(owned_session_sql(), [self.session_key, timezone.now()])
        for owner in owners:
            self.owner = owner
            return UserSession(
                session_key=self.session_key, session_data=owner.stored_session_data, user=owner
            )
        return super()._get_session_from_db()  # a visitor's session, or none at all

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            instance.user_id = None
        return instance
