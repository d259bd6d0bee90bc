from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from academies.services import invitations_accept_for_email


@receiver(email_confirmed, dispatch_uid="academies_accept_invitations")
def accept_invitations_on_email_confirmed(sender, request, email_address, **kwargs):
    """Whoever proves they own an invited address joins the editions it was invited to."""
    invitations_accept_for_email(user=email_address.user, email=email_address.email)
