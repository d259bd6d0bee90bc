from allauth.account.signals import email_confirmed
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from academies.models import Edition, Participation
from academies.selectors import FIGURES_CACHE
from academies.services import invitations_accept_for_email

# Member fields the network figures count by.
FIGURE_FIELDS = {"country", "is_active"}


@receiver(email_confirmed, dispatch_uid="academies_accept_invitations")
def accept_invitations_on_email_confirmed(sender, request, email_address, **kwargs):
    """Whoever proves they own an invited address joins the editions it was invited to."""
    invitations_accept_for_email(user=email_address.user, email=email_address.email)


def figures_changed() -> None:
    # Now, so the writer's next page shows it; and at commit, so a value computed meanwhile
    # by another request from the rows before the commit is not kept.
    FIGURES_CACHE.bump()
    transaction.on_commit(FIGURES_CACHE.bump)


@receiver(post_save, sender=Participation, dispatch_uid="academies_figures_participation_saved")
@receiver(post_delete, sender=Participation, dispatch_uid="academies_figures_participation_gone")
@receiver(post_save, sender=Edition, dispatch_uid="academies_figures_edition_saved")
@receiver(post_delete, sender=Edition, dispatch_uid="academies_figures_edition_gone")
def participation_or_edition_changed(sender, raw=False, **kwargs):
    if not raw:
        figures_changed()


@receiver(post_save, sender=get_user_model(), dispatch_uid="academies_figures_member_saved")
def member_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # A new member has no participation yet; a login only touches last_login.
    if raw or created or (update_fields is not None and not FIGURE_FIELDS & set(update_fields)):
        return
    figures_changed()
