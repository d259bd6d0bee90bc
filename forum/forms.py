from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import SPOKEN_LANGUAGES
from collective_brain.widgets import QuickSelect
from forum.language import fallback_language as default_language
from forum.models import Category, EmailPreference, Tag

MAX_BODY = 20_000
DETECT = ""  # the language choice that asks for detection


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_BODY,
        strip=True,
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), > quote, - list."),
        error_messages={
            "required": _("Write a message first."),
            "max_length": _(
                "A message can have at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of your message"),
        choices=[(DETECT, _("Detect automatically"))] + SPOKEN_LANGUAGES,
        widget=QuickSelect,
        required=False,
        initial=DETECT,
        help_text=_(
            "Found from your text (quotes aside); choose it yourself if the detection is wrong. "
            "Readers can filter topics by language."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


class TopicForm(PostForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        min_length=3,
        error_messages={"required": _("Give the topic a title.")},
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"), queryset=Tag.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    field_order = ["title", "body", "language", "tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = Tag.objects.order_by("slug")


class TitleForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        min_length=3,
        error_messages={"required": _("Give the topic a title.")},
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={"required": _("Tell the moderators why you report this post.")},
    )


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Move to"), queryset=Category.objects.none())

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (
            categories if categories is not None else Category.objects.none()
        )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the forum"), max_length=200, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        to_field_name="slug",
        widget=QuickSelect,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Any language"))] + SPOKEN_LANGUAGES,
        required=False,
        widget=QuickSelect,
    )
    author = forms.CharField(label=_("Author (user name)"), max_length=150, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (
            categories if categories is not None else Category.objects.none()
        )


class EmailPreferenceForm(forms.ModelForm):
    class Meta:
        model = EmailPreference
        fields = ["mode"]
        widgets = {"mode": forms.RadioSelect}


class TranslationForm(PostForm):
    """The same fields as a post: the translated text and its language."""

    def __init__(self, *args, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.fields["body"].label = _("Translation")
        language = self.fields["language"]
        language.label = _("Language of the translation")
        language.help_text = ""
        language.choices = SPOKEN_LANGUAGES
        language.required = True
        language.initial = default_language(self.user)

    def clean_language(self):
        language = self.cleaned_data["language"]
        if self.post is not None and language == self.post.language:
            raise forms.ValidationError(_("The post is already written in this language."))
        return language


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label=_("Merge into topic number"), min_value=1,
        help_text=_("The number in the other topic's address: /forum/t/<number>-…"),
    )  # fmt: skip


class SplitForm(forms.Form):
    first = forms.IntegerField(label=_("From post #"), min_value=2)
    last = forms.IntegerField(label=_("To post #"), min_value=2)
    title = forms.CharField(label=_("Title of the new topic"), max_length=200, min_length=3)

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            self.add_error("last", _("The last post comes before the first one."))
        return data
