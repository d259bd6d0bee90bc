import re
from itertools import groupby

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from academies import charts, selectors, services
from academies.filters import ParticipantFilter
from academies.forms import InvitationCodeForm, MemberContactForm
from academies.models import Edition, EditionInvitation

User = get_user_model()
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class EditionListView(ListView):
    template_name = "academies/edition_list.html"
    context_object_name = "editions"
    paginate_by = 50

    def get_queryset(self):
        return Edition.objects.order_by("-number")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["map"] = charts.edition_map(context["editions"])
        context["figures"] = selectors.network_figures()
        return context


class EditionDetailView(DetailView):
    template_name = "academies/edition_detail.html"
    context_object_name = "edition"
    queryset = Edition.objects.select_related("collection")
    participants_per_page = 48

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition, user = self.object, self.request.user
        sessions = selectors.programme(edition)
        context["programme_days"] = [
            (day, list(day_sessions)) for day, day_sessions in groupby(sessions, lambda s: s.day)
        ]
        is_participant = selectors.user_participates_in(user, edition)
        context["is_participant"] = is_participant
        context["can_see_participants"] = is_participant or (
            user.is_authenticated and user.is_staff
        )
        if context["can_see_participants"]:
            paginator = Paginator(
                selectors.edition_participants(edition=edition, viewer=user),
                self.participants_per_page,
            )
            context["participants_page"] = paginator.get_page(self.request.GET.get("page"))
        if user.is_authenticated and not is_participant and edition.has_invitation_code:
            context.setdefault("code_form", InvitationCodeForm())
        collection = selectors.collection_of(edition)
        publications, count = selectors.collection_publications(collection)
        context.update(
            collection=collection,
            collection_publications=publications,
            collection_count=count,
            figures=selectors.network_figures(edition=edition),
        )
        return context


class EditionJoinView(LoginRequiredMixin, EditionDetailView):
    """Redeem an edition's invitation code (a form on the edition page)."""

    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        return redirect(self.get_object())

    def post(self, request, *args, **kwargs):
        self.object = edition = self.get_object()
        form = InvitationCodeForm(request.POST)
        if form.is_valid():
            try:
                _participation, created = services.invitation_code_redeem(
                    edition=edition, user=request.user, code=form.cleaned_data["code"]
                )
            except services.RateLimited:
                form.add_error(None, _("Too many wrong codes. Try again in an hour."))
                return self._invalid(form, status=429)
            except services.InvalidInvitationCode:
                form.add_error("code", _("This code is not valid for this edition."))
                return self._invalid(form, status=400)
            except services.InvitationCodeExpired:
                form.add_error(
                    "code",
                    _(
                        "This code is no longer valid. Ask the organisers of the edition for a "
                        "new invitation."
                    ),
                )
                return self._invalid(form, status=410)
            if created:
                messages.success(
                    request,
                    _("Welcome to %(edition)s: you are now one of its participants.")
                    % {"edition": edition},
                )
            else:
                messages.info(request, _("You are already a participant of this edition."))
            return redirect(edition)
        return self._invalid(form, status=400)

    def _invalid(self, form, *, status):
        context = self.get_context_data(object=self.object, code_form=form)
        return self.render_to_response(context, status=status)


class ParticipantDirectoryView(LoginRequiredMixin, ListView):
    template_name = "academies/participant_directory.html"
    context_object_name = "members"
    paginate_by = 24

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.can_use_directory(request.user):
            return TemplateResponse(
                request, "academies/participants_only.html", {"page": "directory"}, status=403
            )
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.filterset = ParticipantFilter(
            self.request.GET or None,
            queryset=selectors.directory_members(viewer=self.request.user),
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["is_filtered"] = any(
            value for key, value in self.request.GET.items() if key != "page"
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.is_bound and not self.filterset.is_valid():
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


class InvitationView(View):
    """The link in an invitation e-mail: sign up (or in) with the invited address, then join."""

    def get(self, request, token):
        invitation = None
        if TOKEN_PATTERN.fullmatch(token):
            invitation = (
                EditionInvitation.objects.select_related("edition").filter(token=token).first()
            )
        if invitation is None:
            return self._problem(request, "unknown", status=404)
        user, edition = request.user, invitation.edition
        if invitation.is_accepted:
            if user.is_authenticated and (
                invitation.accepted_by_id == user.pk
                or selectors.user_participates_in(user, edition)
            ):
                return redirect(edition)
            return self._problem(request, "used", status=410)
        if invitation.is_expired:
            return self._problem(request, "expired", status=410, invitation=invitation)
        here = invitation.get_absolute_url()
        if not user.is_authenticated:
            has_account = (
                EmailAddress.objects.filter(email__iexact=invitation.email).exists()
                or User.objects.filter(email__iexact=invitation.email).exists()
            )
            if has_account:
                return redirect(f"{reverse('account_login')}?{urlencode({'next': here})}")
            query = urlencode({"email": invitation.email, "next": here})
            return redirect(f"{reverse('account_signup')}?{query}")
        if services.has_verified_email(user, invitation.email):
            try:
                services.invitation_accept(invitation=invitation, user=user)
            except services.InvitationExpired:  # expired since it was read above
                return self._problem(request, "expired", status=410, invitation=invitation)
            messages.success(
                request,
                _("Welcome to %(edition)s: you are now one of its participants.")
                % {"edition": edition},
            )
            return redirect(edition)
        own_address = EmailAddress.objects.filter(user=user, email__iexact=invitation.email)
        reason = "unverified" if own_address.exists() else "other-account"
        return self._problem(request, reason, status=403, invitation=invitation)

    def _problem(self, request, reason, *, status, invitation=None):
        context = {"reason": reason, "invitation": invitation}
        if invitation is not None:
            local, _at, domain = invitation.email.partition("@")
            context["masked_email"] = f"{local[:1]}…@{domain}"
        return TemplateResponse(
            request, "academies/invitation_problem.html", context, status=status
        )


class MemberContactView(LoginRequiredMixin, FormView):
    """Write to a member by e-mail without either side seeing the other's address."""

    template_name = "academies/member_contact.html"
    form_class = MemberContactForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if "\x00" in kwargs["username"]:
            raise Http404
        self.recipient = get_object_or_404(
            User.objects.visible_to(request.user), username=kwargs["username"]
        )
        if self.recipient.pk == request.user.pk or not self.recipient.email:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.recipient
        context["is_limited"] = services.contact_is_limited(self.request.user)
        return context

    def form_valid(self, form):
        try:
            services.member_contact(
                sender=self.request.user,
                recipient=self.recipient,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
                share_email=form.cleaned_data["share_email"],
            )
        except services.RateLimited:
            form.add_error(
                None, _("You have sent many messages in the last hour. Try again later.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        messages.success(
            self.request,
            _("Your message to %(name)s has been sent.")
            % {"name": self.recipient.get_display_name()},
        )
        return redirect(self.recipient)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
