from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from academies import enrolment
from academies.forms import EnrolmentApplyForm, EnrolmentUploadForm
from academies.models import (
    Edition,
    EditionInvitation,
    Participation,
    Session,
    generate_invitation_code,
)
from academies.services import invitation_renew, invitation_send, site_url


class SessionInline(TranslationStackedInline):
    model = Session
    extra = 0
    raw_id_fields = ["materials"]
    fields = [
        ("day", "date", "start_time", "end_time", "order"),
        "title",
        "description",
        "speakers",
        "summary",
        "recording_url",
        "materials",
    ]
    classes = ["collapse"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "status_override", "created_at"]
    show_change_link = True


@admin.register(Edition)
class EditionAdmin(TabbedTranslationAdmin):
    list_display = [
        "number",
        "city",
        "country",
        "year",
        "start_date",
        "end_date",
        "people",
        "enrol_link",
    ]
    search_fields = ["city", "title"]
    prepopulated_fields = {"slug": ["city_en"]}
    inlines = [SessionInline, ParticipationInline]
    actions = ["create_invitation_codes"]
    change_form_template = "academies/admin/edition_change_form.html"
    fieldsets = [
        (
            None,
            {"fields": ["number", "slug", "city", "country", "venue", "latitude", "longitude"]},
        ),
        (_("Dates"), {"fields": ["year", "start_date", "end_date"]}),
        (
            _("About the edition"),
            {
                "fields": [
                    "title",
                    "description",
                    "languages_of_instruction",
                    "organisers",
                    "partners",
                    "picture",
                    "picture_alt",
                    "programme_note",
                ]
            },
        ),
        (_("Enrolment"), {"fields": ["invitation_code", "invitation_code_expires"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_count=Count("participations"))

    @admin.display(description=_("participants"), ordering="people_count")
    def people(self, edition):
        return edition.people_count

    @admin.display(description=_("enrolment"))
    def enrol_link(self, edition):
        url = reverse("admin:academies_edition_enrol", kwargs={"edition_id": edition.pk})
        return format_html('<a href="{}">{}</a>', url, _("Import a CSV file"))

    @admin.action(description=_("Create a new invitation code"), permissions=["change"])
    def create_invitation_codes(self, request, queryset):
        for edition in queryset:
            # A new code would be useless past its last valid day: the date goes with the old one.
            if edition.invitation_code_expired:
                edition.invitation_code_expires = None
            for _attempt in range(5):
                edition.invitation_code = generate_invitation_code(edition)
                try:
                    with transaction.atomic():
                        edition.save(update_fields=["invitation_code", "invitation_code_expires"])
                    break
                except IntegrityError:
                    continue
            self.message_user(
                request,
                _("%(edition)s: the invitation code is now %(code)s")
                % {"edition": edition, "code": edition.invitation_code},
                messages.SUCCESS,
            )

    def get_urls(self):
        return [
            path(
                "<int:edition_id>/enrol/",
                self.admin_site.admin_view(self.enrol_view),
                name="academies_edition_enrol",
            ),
            *super().get_urls(),
        ]

    def enrol_view(self, request, edition_id):
        """Upload a CSV of the edition's people, preview what happens row by row, apply."""
        edition = get_object_or_404(Edition, pk=edition_id)
        if not (
            self.has_change_permission(request, edition)
            and request.user.has_perm("academies.add_participation")
            and request.user.has_perm("academies.add_editioninvitation")
        ):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "edition": edition,
            "title": _("Enrol participants: %(edition)s") % {"edition": edition},
            "upload_form": EnrolmentUploadForm(),
        }
        status = 200
        if request.method == "POST" and "payload" in request.POST:
            apply_form = EnrolmentApplyForm(request.POST)
            try:
                if not apply_form.is_valid():
                    raise signing.BadSignature("no payload")
                rows = enrolment.unsign_rows(edition, apply_form.cleaned_data["payload"])
            except signing.BadSignature:
                messages.error(
                    request,
                    _("The preview has expired or was changed. Upload the file again."),
                )
                return redirect("admin:academies_edition_enrol", edition_id=edition.pk)
            counts = enrolment.enrolment_apply(edition=edition, rows=rows, invited_by=request.user)
            messages.success(request, self._summary(counts))
            return redirect("admin:academies_edition_change", edition.pk)
        if request.method == "POST":
            upload_form = EnrolmentUploadForm(request.POST, request.FILES)
            context["upload_form"] = upload_form
            status = 400
            if upload_form.is_valid():
                try:
                    rows = enrolment.parse_csv(upload_form.cleaned_data["file"].read())
                except enrolment.CsvError as error:
                    upload_form.add_error("file", str(error))
                else:
                    status = 200
                    plan = enrolment.enrolment_plan(edition=edition, rows=rows)
                    context.update(
                        plan=plan,
                        changes=sum(row.changes_something for row in plan),
                        apply_form=EnrolmentApplyForm(
                            initial={"payload": enrolment.sign_rows(edition, rows)}
                        ),
                        filename=upload_form.cleaned_data["file"].name,
                    )
        return TemplateResponse(request, "academies/admin/enrol.html", context, status=status)

    @staticmethod
    def _summary(counts):
        return _(
            "Enrolment applied: %(linked)d accounts linked, %(invited)d people invited, "
            "%(renewed)d expired invitations renewed, %(roles)d roles changed, "
            "%(unchanged)d unchanged, %(errors)d rows skipped."
        ) % {
            "linked": counts[enrolment.Action.LINK],
            "invited": counts[enrolment.Action.INVITE],
            "renewed": counts[enrolment.Action.RENEW],
            "roles": counts[enrolment.Action.UPDATE_ROLE],
            "unchanged": counts[enrolment.Action.UNCHANGED]
            + counts[enrolment.Action.ALREADY_INVITED],
            "errors": counts[enrolment.Action.ERROR],
        }


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["user", "edition", "role", "status_override", "created_at"]
    list_filter = ["edition", "role"]
    search_fields = ["user__username", "user__email", "user__display_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "edition"]


class InvitationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("valid", _("Waiting for an answer")),
            ("expired", _("Expired")),
            ("accepted", _("Accepted")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "valid":
            return queryset.usable()
        if self.value() == "expired":
            return queryset.expired()
        if self.value() == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        return queryset


@admin.register(EditionInvitation)
class EditionInvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "name",
        "edition",
        "role",
        "language",
        "sent_at",
        "expires_at",
        "state",
        "accepted_at",
    ]
    list_filter = [InvitationStateFilter, "edition", "role", "language"]
    search_fields = ["email", "name", "organisation"]
    list_select_related = ["edition"]
    readonly_fields = [
        "link",
        "invited_by",
        "created_at",
        "sent_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
    ]
    fields = [
        "edition",
        "email",
        "name",
        "organisation",
        "country",
        "role",
        "language",
        *readonly_fields,
    ]
    actions = ["send_again"]

    @admin.display(description=_("state"))
    def state(self, invitation):
        if invitation.is_accepted:
            return _("Accepted")
        if invitation.is_expired:
            return _("Expired")
        return _("Waiting for an answer")

    @admin.display(description=_("invitation link"))
    def link(self, invitation):
        if not invitation.pk:
            return "–"
        url = site_url(invitation.get_absolute_url())
        return format_html('<a href="{}">{}</a>', url, url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.invited_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            invitation_send(invitation=obj)

    @admin.action(
        description=_("Renew and send the invitation e-mail again"), permissions=["change"]
    )
    def send_again(self, request, queryset):
        """A new validity period from today and the e-mail again, for invitations not accepted."""
        pending = list(queryset.pending().select_related("edition"))
        for invitation in pending:
            invitation_renew(invitation=invitation)
            self.log_change(request, invitation, gettext("Renewed and sent again."))
        if not pending:
            self.message_user(
                request,
                _("Accepted invitations cannot be renewed: nothing was sent."),
                messages.WARNING,
            )
            return
        count = len(pending)
        self.message_user(
            request,
            ngettext(
                "%(count)d invitation renewed until %(date)s and sent again.",
                "%(count)d invitations renewed until %(date)s and sent again.",
                count,
            )
            % {"count": count, "date": date_format(timezone.localtime(pending[0].expires_at))},
            messages.SUCCESS,
        )

    def get_changeform_initial_data(self, request):
        return {"language": "en", **super().get_changeform_initial_data(request)}
