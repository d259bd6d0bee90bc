from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.urls import translate_url
from django.utils.translation import get_language

from collective_brain.tasks import enqueue_email_message


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        if not user.preferred_language:
            user.preferred_language = get_language() or ""
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        url = super().get_login_redirect_url(request)
        language = request.user.preferred_language
        return translate_url(url, language) if language else url

    def send_mail(self, template_prefix, email, context):
        """Render the message now (in the reader's language) and send it in the background."""
        ctx = {
            "request": self.request,
            "email": email,
            "current_site": get_current_site(self.request),
        }
        ctx.update(context)
        enqueue_email_message(self.render_mail(template_prefix, email, ctx))
