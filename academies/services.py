"""Writes about editions and their people: enrolment, invitations, contact between members."""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from academies.models import (
    Edition,
    EditionInvitation,
    Participation,
    ParticipationRole,
    invitation_expiry,
    normalise_code,
)
from collective_brain.tasks import send_email

CONTACT_LIMIT = 5  # messages per sender
CONTACT_WINDOW = 60 * 60  # seconds
CODE_ATTEMPT_LIMIT = 10  # wrong invitation codes per member
CODE_ATTEMPT_WINDOW = 60 * 60


class InvalidInvitationCode(Exception):
    pass


class InvitationCodeExpired(Exception):
    """The right code, past its last valid day."""


class InvitationExpired(Exception):
    pass


class RateLimited(Exception):
    pass


def _hit_limit(key: str, limit: int, window: int) -> bool:
    """Count one more use of key; True once the limit is passed within the window."""
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


def _is_over_limit(key: str, limit: int) -> bool:
    return (cache.get(key) or 0) >= limit


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def user_language(user) -> str:
    languages = {code for code, _name in settings.LANGUAGES}
    language = getattr(user, "preferred_language", "") or ""
    return language if language in languages else settings.LANGUAGE_CODE


@transaction.atomic
def participation_add(
    *, user, edition: Edition, role: str = ParticipationRole.PARTICIPANT
) -> tuple[Participation, bool]:
    """Enrol a member in an edition (an existing enrolment is kept as it is)."""
    return Participation.objects.get_or_create(user=user, edition=edition, defaults={"role": role})


def has_verified_email(user, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def invitation_accept(*, invitation: EditionInvitation, user) -> Participation:
    """Turn an invitation into a participation for a member who has verified its address."""
    invitation = EditionInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_expired:
        raise InvitationExpired
    participation, _created = participation_add(
        user=user, edition=invitation.edition, role=invitation.role
    )
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    # What the curators knew of the person fills the profile fields they have left empty.
    changed = []
    for field, value in [
        ("display_name", invitation.name),
        ("organisation", invitation.organisation),
        ("country", invitation.country),
    ]:
        if value and not getattr(user, field):
            setattr(user, field, value)
            changed.append(field)
    if changed:
        user.save(update_fields=changed)
    return participation


def invitations_accept_for_email(*, user, email: str) -> list[Participation]:
    """Accept every valid invitation sent to an address the member has just verified."""
    # Compared with LOWER(email) so the expression index serves the lookup.
    pending = (
        EditionInvitation.objects.usable()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower=email.strip().lower())
    )
    return [invitation_accept(invitation=invitation, user=user) for invitation in pending]


def invitation_send(*, invitation: EditionInvitation) -> None:
    """E-mail the invitation in the invitee's language, from the background worker."""
    with translation.override(invitation.language):
        link = site_url(reverse("academies:invitation", kwargs={"token": invitation.token}))
        context = {
            "invitation": invitation,
            "edition": invitation.edition,
            "link": link,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("academies/email/invitation_subject.txt", context)
        body = render_to_string("academies/email/invitation_body.txt", context)
    send_email.enqueue(
        subject=" ".join(subject.split()),
        body=body,
        to=[invitation.email],
        headers={"Content-Language": invitation.language},
    )
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])


@transaction.atomic
def invitation_renew(*, invitation: EditionInvitation) -> None:
    """Give a pending invitation a new validity period and e-mail its link again."""
    invitation.expires_at = invitation_expiry()
    invitation.save(update_fields=["expires_at"])
    invitation_send(invitation=invitation)


@transaction.atomic
def invitation_code_redeem(*, edition: Edition, user, code: str) -> tuple[Participation, bool]:
    """Join an edition with its invitation code; wrong codes are counted and limited."""
    key = f"academies:code-attempts:{user.pk}"
    if _is_over_limit(key, CODE_ATTEMPT_LIMIT):
        raise RateLimited
    expected = edition.invitation_code
    if not expected or not secrets.compare_digest(
        normalise_code(code).encode(), expected.encode()
    ):
        _hit_limit(key, CODE_ATTEMPT_LIMIT, CODE_ATTEMPT_WINDOW)
        raise InvalidInvitationCode
    if edition.invitation_code_expired:
        raise InvitationCodeExpired
    return participation_add(user=user, edition=edition, role=ParticipationRole.PARTICIPANT)


def member_contact(*, sender, recipient, subject: str, message: str, share_email: bool) -> None:
    """E-mail a member on another's behalf; the recipient's address is never shown to the sender,
    and the sender's only travels as Reply-To when they have agreed to it."""
    if _hit_limit(f"academies:contact:{sender.pk}", CONTACT_LIMIT, CONTACT_WINDOW):
        raise RateLimited
    language = user_language(recipient)
    with translation.override(language):
        context = {
            "sender": sender,
            "recipient": recipient,
            "subject": subject,
            "message": message,
            "share_email": share_email,
            "sender_url": site_url(sender.get_absolute_url()),
            "site_url": settings.SITE_URL,
        }
        rendered_subject = render_to_string("academies/email/contact_subject.txt", context)
        body = render_to_string("academies/email/contact_body.txt", context)
    send_email.enqueue(
        subject=" ".join(rendered_subject.split()),
        body=body,
        to=[recipient.email],
        reply_to=[sender.email] if share_email and sender.email else [],
        headers={"Content-Language": language},
    )


def contact_is_limited(sender) -> bool:
    return _is_over_limit(f"academies:contact:{sender.pk}", CONTACT_LIMIT)
