import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conversations.services import MAX_MEMBERS
from forum.forms import PostForm


class MessageForm(PostForm):
    """A message is written like a forum post: the same Markdown body and language field
    (detected from the text unless the author chooses)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].help_text = _(
            "Found from your text; choose it yourself if the detection is wrong."
        )


USERNAME_SPLIT = re.compile(r"[\s,;]+")


def reachable_members(sender):
    """Active members the sender may address: those whose profile the sender may see.

    An unknown user name and a hidden profile get the same answer, so nobody learns more
    about an account than its profile page would tell them.
    """
    return get_user_model().objects.visible_to(sender).exclude(pk=sender.pk)


class RecipientsField(forms.CharField):
    def to_python(self, value):
        names = [name.lstrip("@") for name in USERNAME_SPLIT.split(super().to_python(value))]
        return list(dict.fromkeys(name for name in names if name))


class _RecipientsMixin:
    """Resolves the user names typed into ``recipients`` into members the sender may reach."""

    max_people = MAX_MEMBERS - 1

    def clean_recipients(self):
        names = self.cleaned_data["recipients"]
        if not names:
            raise forms.ValidationError(_("Give at least one user name."))
        if len(names) > self.max_people:
            raise forms.ValidationError(
                ngettext(
                    "A conversation can have at most %(count)d other member.",
                    "A conversation can have at most %(count)d other members.",
                    self.max_people,
                )
                % {"count": self.max_people}
            )
        if "\x00" in "".join(names):
            raise forms.ValidationError(_("User names cannot contain this character."))
        found = {
            user.username: user
            for user in reachable_members(self.sender).filter(username__in=names)
        }
        missing = [name for name in names if name not in found]
        if self.sender.username in missing:
            raise forms.ValidationError(_("You are part of the conversation already."))
        if missing:
            raise forms.ValidationError(
                _("No member you can write to has the user name %(names)s.")
                % {"names": ", ".join(f"“{name}”" for name in missing)}
            )
        return [found[name] for name in names]


class ConversationForm(_RecipientsMixin, MessageForm):
    recipients = RecipientsField(
        label=_("To"),
        max_length=2000,
        help_text=_(
            "User names of the members to write to, separated by commas "
            "(a user name is shown as @name on a profile)."
        ),
        error_messages={"required": _("Give at least one user name.")},
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        min_length=3,
        error_messages={"required": _("Give the conversation a subject.")},
    )
    field_order = ["recipients", "subject", "body", "language"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.sender = user


class AddMemberForm(_RecipientsMixin, forms.Form):
    recipients = RecipientsField(
        label=_("User names to add"),
        max_length=2000,
        help_text=_("Separate several user names with commas."),
        error_messages={"required": _("Give at least one user name.")},
    )

    def __init__(self, *args, user, conversation, **kwargs):
        super().__init__(*args, **kwargs)
        self.sender = user
        self.conversation = conversation
        self.max_people = MAX_MEMBERS - conversation.memberships.current().count()

    def clean_recipients(self):
        if self.max_people <= 0:
            raise forms.ValidationError(_("This conversation has as many members as it can."))
        return super().clean_recipients()


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this message?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text=_(
            "The moderators will see this message and the few messages around it, "
            "nothing else of the conversation."
        ),
        error_messages={"required": _("Tell the moderators why you report this message.")},
    )
