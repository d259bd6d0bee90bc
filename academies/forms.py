from django import forms
from django.utils.translation import gettext_lazy as _

from academies.enrolment import MAX_FILE_BYTES


class InvitationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=40,
        help_text=_("The code the organisers of this edition gave you."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class MemberContactForm(forms.Form):
    label_suffix = ""
    subject = forms.CharField(label=_("Subject"), max_length=150)
    message = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
    )
    share_email = forms.BooleanField(
        label=_("Let them reply to my e-mail address"),
        required=False,
        help_text=_(
            "If you tick this, your e-mail address is given to them as the reply address. "
            "Otherwise they can only answer through the platform."
        ),
    )

    def clean_subject(self):
        # One line: no header tricks through the subject.
        return " ".join(self.cleaned_data["subject"].split())


class EnrolmentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns (first line): name, email, organisation, country, role, and optionally "
            "language (en, fr, es, pt, it; English when empty). Roles: participant, "
            "facilitator, organiser."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return upload


class EnrolmentApplyForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput, max_length=2_000_000)
