from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from collective_brain.home import active_topics, home_sections
from collective_brain.site_search import site_search


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) | home_sections()
        # Depends on who reads (cohort spaces), so never from the shared cache.
        context["topics"] = active_topics(self.request.user)
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
            context["groups"] = site_search(
                query, user=self.request.user, per_group=self.results_per_group
            )
        return context
