from django.contrib.auth import get_user_model
from django.tasks import task

from accounts.digest import digest_send, members_due_for_digest


@task
def send_member_digest(*, user_id: int) -> None:
    user = get_user_model().objects.filter(pk=user_id, digest_subscribed=True).first()
    if user is not None:
        digest_send(user=user)


@task
def send_weekly_digests() -> int:
    """Queue a digest for every subscribed member whose last one is a week old."""
    user_ids = list(members_due_for_digest().values_list("pk", flat=True))
    for user_id in user_ids:
        send_member_digest.enqueue(user_id=user_id)
    return len(user_ids)
