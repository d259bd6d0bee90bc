"""Forms of the library's curation admin: publications, their PDF files, CSV imports."""

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from pypdf import PdfReader

from publications.models import (
    ExtractionStatus,
    LanguageVersion,
    Publication,
    PublicationStatus,
    Region,
)

PDF_MAGIC = b"%PDF-"


def _country_choices():
    return [(code, name) for code, name in countries]


class PublicationAdminForm(forms.ModelForm):
    """The publication's own fields, with usable pickers for countries and regions."""

    countries = forms.MultipleChoiceField(
        label=_("countries"),
        choices=_country_choices,
        required=False,
        widget=FilteredSelectMultiple(_("countries"), is_stacked=False),
    )
    regions = forms.MultipleChoiceField(
        label=_("regions"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Publication
        # The admin passes the fields of its fieldsets; these are the ones this form shapes.
        fields = ["status", "published_at", "countries", "regions"]

    def clean(self):
        cleaned_data = super().clean()
        # A published record needs its publication time (a database constraint): "now"
        # unless the curator scheduled one.
        if cleaned_data.get("status") == PublicationStatus.PUBLISHED and not cleaned_data.get(
            "published_at"
        ):
            cleaned_data["published_at"] = timezone.now()
        return cleaned_data


class LanguageVersionForm(forms.ModelForm):
    """One language version: a real, not too large, never seen before PDF, or a link."""

    class Meta:
        model = LanguageVersion
        fields = ["language", "file", "external_url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_upload = None
        self.upload_checksum = ""
        if "file" in self.fields:
            self.fields["file"].widget.attrs.setdefault("accept", "application/pdf,.pdf")

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if not isinstance(uploaded, UploadedFile):
            return uploaded  # unchanged (a stored file), cleared (False) or empty
        limit = settings.PUBLICATION_MAX_UPLOAD_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("This file is %(size)s; files up to %(limit)s are accepted."),
                code="file_too_large",
                params={"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            )
        uploaded.seek(0)
        header = uploaded.read(len(PDF_MAGIC))
        uploaded.seek(0)
        if header != PDF_MAGIC:
            raise forms.ValidationError(
                _("This file is not a PDF document (whatever its name says)."), code="not_pdf"
            )
        self._check_pdf_structure(uploaded)
        checksum = LanguageVersion.checksum_of(uploaded)
        existing = (
            LanguageVersion.objects.filter(checksum=checksum)
            .exclude(pk=self.instance.pk)
            .select_related("publication")
            .first()
        )
        if existing is not None:
            raise forms.ValidationError(
                _(
                    "This file has already been uploaded: it is the %(language)s version of "
                    "“%(publication)s”."
                ),
                code="duplicate_file",
                params={
                    "language": existing.get_language_display(),
                    "publication": existing.publication,
                },
            )
        self.new_upload = uploaded
        self.upload_checksum = checksum
        return uploaded

    @staticmethod
    def _check_pdf_structure(uploaded) -> None:
        try:
            reader = PdfReader(uploaded)
            encrypted = reader.is_encrypted
            if not encrypted:
                len(reader.pages)  # walks the page tree: a truncated file fails here
        # pypdf raises many exception types on malformed input; all of them mean "refuse".
        except Exception as error:
            raise forms.ValidationError(
                _("This PDF file is damaged and cannot be read (%(error)s)."),
                code="broken_pdf",
                params={"error": type(error).__name__},
            ) from error
        finally:
            uploaded.seek(0)
        if encrypted:
            raise forms.ValidationError(
                _("This PDF file is encrypted or password-protected; upload an unprotected copy."),
                code="encrypted_pdf",
            )

    def clean(self):
        cleaned_data = super().clean()
        has_file = bool(cleaned_data.get("file")) or (
            "file" not in cleaned_data and bool(self.instance.file)
        )
        if "file" in self.errors:
            return cleaned_data  # the file's own error says it all
        if (
            not has_file
            and not cleaned_data.get("external_url")
            and "external_url" not in self.errors
        ):
            self.add_error("file", _("Give a PDF file or an external link."))
        return cleaned_data

    def save(self, commit=True):
        # A replaced or cleared file is removed from storage after the commit, by the
        # LanguageVersion signals (publications/signals.py), whatever saves the version.
        version = self.instance
        if self.new_upload is not None:
            version.set_file(self.new_upload)
        elif self.cleaned_data.get("file") is False:  # the "clear" box: the file goes away
            version.checksum = ""
            version.size = None
            version.text = ""
            version.page_count = None
            version.extraction_status = ExtractionStatus.NOT_APPLICABLE
            version.extraction_error = ""
        return super().save(commit=commit)


class LanguageVersionFormSet(BaseInlineFormSet):
    """Refuses the same file twice in one submission (the database would refuse it later)."""

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            checksum = getattr(form, "upload_checksum", "")
            if not checksum or self._should_delete_form(form):
                continue
            if checksum in seen:
                form.add_error(
                    "file",
                    _("The same file is also uploaded for another language in this form."),
                )
            seen[checksum] = form


class PublicationImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 text, one publication per row, with the columns of an export."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"),
        required=False,
        initial=True,
        help_text=_("Check the file and show what would change, without writing anything."),
    )


class PublicationImportConfirmForm(forms.Form):
    """Confirms the import of a previewed file, kept on the server in the meantime."""

    staged = forms.CharField(widget=forms.HiddenInput, max_length=2000)
