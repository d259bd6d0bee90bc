"""The unread counters in the site header: forum notifications and private conversations.

Computed lazily, once per request, only when a template shows them and only for signed-in
members: at most two indexed COUNT queries a page, none for visitors.
"""

from functools import cached_property

from conversations.models import Membership


class HeaderCounts:
    def __init__(self, user):
        self.user = user

    @cached_property
    def notifications(self) -> int:
        from forum.views import unread_notification_count

        return unread_notification_count(self.user)

    @cached_property
    def conversations(self) -> int:
        return Membership.objects.unread().filter(user=self.user).count()


def header_counts(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = getattr(request, "_header_counts", None)
    if counts is None:
        counts = request._header_counts = HeaderCounts(user)
    return {"header_counts": counts}
