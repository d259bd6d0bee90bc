from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import SPOKEN_LANGUAGES, User


class ProfileForm(forms.ModelForm):
    languages_spoken = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=SPOKEN_LANGUAGES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "country",
            "organisation",
            "languages_spoken",
            "preferred_language",
            "bio",
            "directory_visibility",
            "digest_subscribed",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5, "maxlength": 1000}),
            "directory_visibility": forms.RadioSelect,
        }
