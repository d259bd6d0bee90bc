"""The unread counters in the site header: forum notifications and private conversations.

Computed lazily, once per request, only when a template shows them and only for signed-in
members: one query on two indexes a page (a second one to count notifications through the
permission rule when some are unread), none for visitors.
"""

from functools import cached_property

from django.db import connection

from conversations.models import Membership


class HeaderCounts:
    def __init__(self, user):
        self.user = user

    @cached_property
    def _unread(self) -> tuple[bool, int]:
        """Whether any notification is unread, and how many conversations are."""
        from forum.models import Notification

        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT
                  EXISTS (SELECT 1 FROM {Notification._meta.db_table}
                          WHERE recipient_id = %(user)s AND read_at IS NULL),
                  (SELECT count(*) FROM {Membership._meta.db_table}
                   WHERE user_id = %(user)s AND left_at IS NULL
                     AND latest_number > last_read_number)
                """,
                {"user": self.user.pk},
            )
            return cursor.fetchone()

    @cached_property
    def notifications(self) -> int:
        from forum.views import unread_notification_count

        return unread_notification_count(self.user, any_unread=self._unread[0])

    @cached_property
    def conversations(self) -> int:
        return self._unread[1]


def header_counts(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = getattr(request, "_header_counts", None)
    if counts is None:
        counts = request._header_counts = HeaderCounts(user)
    return {"header_counts": counts}
