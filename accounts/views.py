from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse_lazy, translate_url
from django.utils.translation import check_for_language
from django.utils.translation import gettext_lazy as _
from django.views import i18n
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, UpdateView

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


class ProfileDetailView(DetailView):
    template_name = "accounts/profile_detail.html"
    context_object_name = "member"
    slug_field = "username"
    slug_url_kwarg = "username"

    def get_queryset(self):
        return User.objects.visible_to(self.request.user).prefetch_related(
            "participations__edition"
        )


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
