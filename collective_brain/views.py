from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from academies.models import Edition
from pages.models import Page


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["current_edition"] = Edition.objects.current_or_next()
        context["recent_editions"] = Edition.objects.order_by("-number")[:4]
        return context


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /*/accounts/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


class SearchView(TemplateView):
    """One search box across the platform; each section contributes its own results."""

    template_name = "search.html"
    max_query_length = 200
    results_per_group = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[: self.max_query_length]
        context["query"] = query
        if query:
            sections = [
                (_("Academy editions"), Edition.objects.search(query)),
                (_("About pages"), Page.objects.search(query)),
            ]
            context["groups"] = [
                {"title": title, "results": list(results[: self.results_per_group])}
                for title, results in sections
            ]
        return context
