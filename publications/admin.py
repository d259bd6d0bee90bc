"""Curation of the document library: translated records, PDF files, CSV, history, preview."""

import io

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import select_template
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from publications import csv_io
from publications.forms import (
    LanguageVersionForm,
    LanguageVersionFormSet,
    PublicationAdminForm,
    PublicationImportConfirmForm,
    PublicationImportForm,
)
from publications.models import (
    Author,
    Authorship,
    Collection,
    ExtractionStatus,
    LanguageVersion,
    Publication,
    PublicationStatus,
    PublicationType,
    Theme,
)
from publications.services import publication_index, publication_set_status
from publications.tasks import extract_version_text

BOTH_LOCATIONS = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]
CHECKSUM_CONSTRAINT = "publications_version_checksum_unique"
DUPLICATE_RACE_ATTEMPTS = 5


class DuplicateUploadRace(Exception):
    """A file passed the checksum check, then another upload of it was saved first."""


def _violated_constraint(error: IntegrityError) -> str:
    diagnostics = getattr(error.__cause__, "diag", None)
    return getattr(diagnostics, "constraint_name", "") or ""


PREVIEW_TEMPLATES = [
    "publications/publication_detail.html",
    "admin/publications/preview_fallback.html",
]


@admin.register(PublicationType)
class PublicationTypeAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "order", "publication_count"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(publication_total=Count("publications"))

    @admin.display(description=_("publications"), ordering="publication_total")
    def publication_count(self, obj):
        return obj.publication_total


@admin.register(Theme)
class ThemeAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "sdg_number", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Collection)
class CollectionAdmin(TabbedTranslationAdmin):
    list_display = ["title", "slug", "edition", "order"]
    list_editable = ["order"]
    list_select_related = ["edition"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["edition"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    fields = ["author", "order"]
    autocomplete_fields = ["author"]
    extra = 1


class LanguageVersionInline(admin.TabularInline):
    model = LanguageVersion
    form = LanguageVersionForm
    formset = LanguageVersionFormSet
    fields = [
        "language",
        "file",
        "external_url",
        "page_count",
        "human_size",
        "checksum",
        "extraction_status",
        "extraction_error",
        "download_count",
    ]
    readonly_fields = [
        "page_count",
        "human_size",
        "checksum",
        "extraction_status",
        "extraction_error",
        "download_count",
    ]
    extra = 1

    @admin.display(description=_("size"))
    def human_size(self, obj):
        return filesizeformat(obj.size) if obj.size is not None else "–"


class LanguageFilter(admin.SimpleListFilter):
    """The languages publications actually have (the full list has ninety of them)."""

    title = _("language version")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        names = dict(LanguageVersion._meta.get_field("language").choices)
        codes = (
            LanguageVersion.objects.order_by("language")
            .values_list("language", flat=True)
            .distinct()
        )
        return [(code, names.get(code, code)) for code in codes]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                pk__in=LanguageVersion.objects.filter(language=self.value()).values(
                    "publication_id"
                )
            )
        return queryset


class ExtractionFilter(admin.SimpleListFilter):
    """Publications with a version whose text extraction is in a given state."""

    title = _("text extraction")
    parameter_name = "extraction"

    def lookups(self, request, model_admin):
        return ExtractionStatus.choices

    def queryset(self, request, queryset):
        if self.value() in ExtractionStatus.values:
            return queryset.filter(
                pk__in=LanguageVersion.objects.filter(extraction_status=self.value()).values(
                    "publication_id"
                )
            )
        return queryset


@admin.register(Publication)
class PublicationAdmin(TabbedTranslationAdmin):
    form = PublicationAdminForm
    inlines = [AuthorshipInline, LanguageVersionInline]
    list_display = ["title", "type", "publication_date", "status", "languages", "updated_at"]
    list_filter = [
        "status",
        "type",
        "themes",
        "collections",
        LanguageFilter,
        ExtractionFilter,
    ]
    list_select_related = ["type"]
    search_fields = [
        "title_en",
        "title_fr",
        "title_es",
        "title_pt",
        "title_it",
        "slug",
        "authors__name",
        "isbn",
        "doi",
    ]
    search_help_text = _("Titles in every language, slug, author names, ISBN or DOI.")
    date_hierarchy = "publication_date"
    autocomplete_fields = ["type", "themes", "collections", "related"]
    prepopulated_fields = {"slug": ["title_en"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "summary", "slug", "type"]}),
        (_("Publishing"), {"fields": ["status", "published_at"]}),
        (
            _("Bibliographic details"),
            {
                "fields": [
                    ("publication_date", "date_precision"),
                    "publisher",
                    ("isbn", "doi"),
                    "handle_url",
                ]
            },
        ),
        (
            _("Classification"),
            {"fields": ["themes", "countries", "regions", "collections", "related"]},
        ),
        (_("Record"), {"fields": [("created_at", "updated_at")], "classes": ["collapse"]}),
    ]
    actions = ["publish", "unpublish", "reextract_text", "export_csv"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("versions")

    # Columns -----------------------------------------------------------------------

    @admin.display(description=_("languages"))
    def languages(self, obj):
        versions = list(obj.versions.all())
        if not versions:
            return "–"
        return format_html_join(
            " ",
            '<span class="extraction-{}" title="{}: {}">{}{}</span>',
            (
                (
                    version.extraction_status.replace("/", ""),
                    version.get_language_display(),
                    version.get_extraction_status_display(),
                    version.language,
                    " ⚠" if version.extraction_status == ExtractionStatus.FAILED else "",
                )
                for version in versions
            ),
        )

    # Saving ------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        for _attempt in range(DUPLICATE_RACE_ATTEMPTS - 1):
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except DuplicateUploadRace:
                # Everything this request wrote has been rolled back with the admin's
                # transaction. The other upload is committed now, so checking the same
                # submission again shows the usual "already uploaded" error next to the
                # file, with every field kept (another try only if yet another upload won).
                continue
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        if formset.model is not LanguageVersion:
            return super().save_formset(request, form, formset, change)
        try:
            with transaction.atomic():
                return super().save_formset(request, form, formset, change)
        except IntegrityError as error:
            if _violated_constraint(error) != CHECKSUM_CONSTRAINT:
                raise
            # The files this attempt already stored belong to rows that will not exist.
            for version_form in formset.forms:
                stored = version_form.instance.file
                if (
                    version_form.new_upload is not None
                    and getattr(stored, "_committed", False)  # written to storage
                    and not LanguageVersion.objects.filter(file=stored.name).exists()
                ):
                    stored.storage.delete(stored.name)
            raise DuplicateUploadRace from error

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Authors, themes and collections are all saved now: index them together.
        publication_index(publication=form.instance)

    # Public page and preview -------------------------------------------------------

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    def preview_view(self, request, object_id):
        """The public page of any publication, drafts included, for curators only."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:  # the public page's own context, when that page is available
            from publications.detail import publication_context
            from publications.metadata import publication_queryset
        except ImportError:
            publication = get_object_or_404(
                Publication.objects.select_related("type"), pk=object_id
            )
            context = {"publication": publication, "preview": True}
        else:
            queryset = publication_queryset(request.user).filter(
                pk__in=self.get_queryset(request).values("pk")
            )
            publication = get_object_or_404(queryset, pk=object_id)
            context = publication_context(request, publication, preview=True)
        template = select_template(PREVIEW_TEMPLATES)
        response = render(request, template.template.name, context)
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    # URLs --------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        custom = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
        ]
        return custom + super().get_urls()

    # Actions -----------------------------------------------------------------------

    def _set_status(self, request, queryset, status, message):
        changed = 0
        selected = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():
            for publication in self.model.objects.filter(pk__in=selected).select_for_update():
                if publication.status == status:
                    continue
                publication_set_status(publication=publication, status=status)
                self.log_change(request, publication, message)
                changed += 1
        return changed

    @admin.action(
        description=_("Publish"),
        description_plural=_("Publish the selected publications"),
        permissions=["change"],
        location=BOTH_LOCATIONS,
    )
    def publish(self, request, queryset):
        changed = self._set_status(
            request,
            queryset,
            PublicationStatus.PUBLISHED,
            gettext("Published with the “Publish” action."),
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d publication published.",
                "%(count)d publications published.",
                changed,
            )
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Unpublish"),
        description_plural=_("Unpublish the selected publications"),
        permissions=["change"],
        location=BOTH_LOCATIONS,
    )
    def unpublish(self, request, queryset):
        changed = self._set_status(
            request,
            queryset,
            PublicationStatus.DRAFT,
            gettext("Unpublished (back to draft) with the “Unpublish” action."),
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d publication unpublished.",
                "%(count)d publications unpublished.",
                changed,
            )
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Re-extract text"),
        description_plural=_("Re-extract the text of the selected publications"),
        permissions=["change"],
        location=BOTH_LOCATIONS,
    )
    def reextract_text(self, request, queryset):
        versions = LanguageVersion.objects.filter(publication__in=queryset).exclude(file="")
        version_ids = list(versions.values_list("pk", flat=True))
        versions.update(extraction_status=ExtractionStatus.PENDING, extraction_error="")
        for publication in queryset.filter(versions__pk__in=version_ids).distinct():
            self.log_change(request, publication, gettext("Text extraction queued again."))
        for version_id in version_ids:
            transaction.on_commit(
                lambda version_id=version_id: extract_version_text.enqueue(version_id=version_id)
            )
        self.message_user(
            request,
            ngettext(
                "Text extraction queued for %(count)d file.",
                "Text extraction queued for %(count)d files.",
                len(version_ids),
            )
            % {"count": len(version_ids)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Export the selected publications as CSV"))
    def export_csv(self, request, queryset):
        return self._csv_response(queryset)

    # CSV ---------------------------------------------------------------------------

    def _csv_response(self, queryset):
        stream = io.StringIO()
        stream.write("\ufeff")  # lets spreadsheet software recognise UTF-8
        csv_io.export_publications(queryset, stream)
        filename = f"publications-{timezone.localdate():%Y-%m-%d}.csv"
        response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def export_view(self, request):
        """The changelist's "Export CSV" button: the list as currently filtered."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            changelist_url = reverse("admin:publications_publication_changelist")
            return HttpResponseRedirect(f"{changelist_url}?e=1")
        return self._csv_response(changelist.get_queryset(request))

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method == "POST" and "staged" in request.POST:
            return self._confirm_import(request)
        report = None
        confirm_form = None
        status = 200
        if request.method == "POST":
            form = PublicationImportForm(request.POST, request.FILES)
            if form.is_valid():
                file = form.cleaned_data["file"]
                report = csv_io.import_publications(
                    file, dry_run=form.cleaned_data["dry_run"], user=request.user
                )
                if report.dry_run and not report.has_errors:
                    staged = csv_io.stage_import(file, report)
                    confirm_form = PublicationImportConfirmForm(
                        initial={"staged": staged.sign(request.user)}
                    )
                status = self._report_import(request, report)
                if report.written:
                    form = PublicationImportForm()  # dry run on again for the next file
            else:
                status = 400
        else:
            form = PublicationImportForm()
        return self._import_page(request, form, report, confirm_form, status)

    def _confirm_import(self, request):
        """Import the file of a dry run, as previewed, without uploading it again."""
        form = PublicationImportConfirmForm(request.POST)
        try:
            if not form.is_valid():
                raise csv_io.StagedImportError(
                    gettext("This confirmation is not valid. Upload the file again.")
                )
            staged = csv_io.staged_import(form.cleaned_data["staged"], user=request.user)
        except csv_io.StagedImportError as error:
            self.message_user(request, str(error), messages.ERROR)
            status = 410 if error.expired else 400
            return self._import_page(request, PublicationImportForm(), None, None, status)
        file = csv_io.open_staged(staged)
        preview = csv_io.import_publications(file, dry_run=True, user=request.user)
        if preview.has_errors or csv_io.report_digest(preview) != staged.digest:
            # The library changed since the preview (another curator, another import): show
            # what the file would do now and ask again rather than write something unseen.
            self.message_user(
                request,
                gettext(
                    "The library has changed since the preview, so nothing was written. Check "
                    "the new preview below before confirming again."
                ),
                messages.WARNING,
            )
            confirm_form = None
            if not preview.has_errors:
                staged.digest = csv_io.report_digest(preview)
                confirm_form = PublicationImportConfirmForm(
                    initial={"staged": staged.sign(request.user)}
                )
            else:
                csv_io.discard_staged(staged)
            return self._import_page(request, PublicationImportForm(), preview, confirm_form, 409)
        report = csv_io.import_publications(file, dry_run=False, user=request.user)
        status = self._report_import(request, report)
        csv_io.discard_staged(staged)
        return self._import_page(request, PublicationImportForm(), report, None, status)

    def _import_page(self, request, form, report, confirm_form, status):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import publications from CSV"),
            "form": form,
            "report": report,
            "confirm_form": confirm_form,
            "columns": csv_io.COLUMNS,
            "required_columns": csv_io.REQUIRED_COLUMNS,
            "max_size": filesizeformat(csv_io.max_import_bytes()),
        }
        return render(
            request, "admin/publications/publication/import_csv.html", context, status=status
        )

    def _report_import(self, request, report) -> int:
        counts = report.counts
        summary = (
            gettext("%(create)d to create, %(update)d to update, %(unchanged)d unchanged.")
            % counts
        )
        if report.file_errors:
            self.message_user(
                request,
                gettext("The file cannot be imported: %(errors)s")
                % {"errors": " ".join(report.file_errors)},
                messages.ERROR,
            )
            return 400
        if report.has_errors:
            self.message_user(
                request,
                ngettext(
                    "%(count)d row has errors; nothing was written. Correct the file and try "
                    "again.",
                    "%(count)d rows have errors; nothing was written. Correct the file and try "
                    "again.",
                    report.rows_with_errors,
                )
                % {"count": report.rows_with_errors},
                messages.ERROR,
            )
            return 200 if report.dry_run else 400
        if report.dry_run:  # without errors: the file is kept for the confirmation
            self.message_user(
                request,
                gettext(
                    "Dry run: nothing was written. %(summary)s Check the rows below, then "
                    "confirm the import."
                )
                % {"summary": summary},
                messages.INFO,
            )
            return 200
        self.message_user(
            request,
            gettext(
                "Import done: %(create)d created, %(update)d updated, %(unchanged)d unchanged."
            )
            % counts,
            messages.SUCCESS,
        )
        return 200

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "failed_extractions": LanguageVersion.objects.filter(
                extraction_status=ExtractionStatus.FAILED
            ).count(),
            "can_import": self.has_add_permission(request) and self.has_change_permission(request),
        }
        return super().changelist_view(request, extra_context=extra_context)
