from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.views import SuccessMessageMixin
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse_lazy, translate_url
from django.utils.decorators import method_decorator
from django.utils.translation import check_for_language
from django.utils.translation import gettext_lazy as _
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, TemplateView, UpdateView

from academies.models import Participation
from accounts.digest import user_from_unsubscribe_token
from accounts.forms import ProfileForm
from accounts.models import User


class ProfileEditView(LoginRequiredMixin, SuccessMessageMixin, UpdateView):
    form_class = ProfileForm
    template_name = "accounts/profile_form.html"
    success_url = reverse_lazy("accounts:profile_edit")
    success_message = _("Your profile has been saved.")

    def get_object(self, queryset=None):
        return self.request.user

    def get_success_url(self):
        # Show the saved profile in the language the member has just chosen.
        url = str(self.success_url)
        language = self.object.preferred_language
        return translate_url(url, language) if language else url


def public_posts_by(member, limit: int = 5) -> list:
    """The member's latest posts in public forum categories (what any visitor may read)."""
    from forum.models import Post

    return list(
        Post.objects.readable_by(AnonymousUser())
        .filter(author=member)
        .select_related("topic")
        .order_by("-created_at")[:limit]
    )


class ProfileDetailView(DetailView):
    template_name = "accounts/profile_detail.html"
    context_object_name = "member"
    slug_field = "username"
    slug_url_kwarg = "username"

    def get_queryset(self):
        return User.objects.visible_to(self.request.user).prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("edition").order_by(
                    "-edition__number"
                ),
            )
        )

    def get_object(self, queryset=None):
        # PostgreSQL refuses NUL characters: an odd URL is a missing profile, not an error.
        if "\x00" in self.kwargs.get(self.slug_url_kwarg, ""):
            raise Http404
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        viewer = self.request.user
        context["can_contact"] = (
            viewer.is_authenticated and viewer.pk != self.object.pk and bool(self.object.email)
        )
        context["recent_posts"] = public_posts_by(self.object)
        return context


@require_POST
def set_language(request):
    """Django's set_language, which also remembers a signed-in member's choice."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language):
        languages = {code for code, _name in User._meta.get_field("preferred_language").choices}
        if language in languages and request.user.preferred_language != language:
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
    return response


@method_decorator(csrf_exempt, name="dispatch")  # the signed token authenticates (RFC 8058)
class DigestUnsubscribeView(TemplateView):
    """One-click unsubscribe from the weekly digest, from a link or a mail client's button."""

    template_name = "accounts/digest_unsubscribe.html"

    def dispatch(self, request, *args, token, **kwargs):
        self.member = user_from_unsubscribe_token(token)
        if self.member is None:
            return self.render_to_response({"invalid": True}, status=400)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.member.digest_subscribed:
            self.member.digest_subscribed = False
            self.member.save(update_fields=["digest_subscribed"])
        return self.render_to_response({"done": True, "member": self.member})

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)
