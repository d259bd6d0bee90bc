from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.static import serve

from accounts.views import set_language
from collective_brain import views
from collective_brain.sitemaps import SITEMAPS
from publications.oai import oai_pmh

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("oai", oai_pmh, name="oai"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("about/", include("pages.urls")),
    path("academy/", include("academies.urls")),
    path("library/", include("publications.urls")),
    path("forum/conversations/", include("conversations.urls")),
    path("forum/", include("forum.urls")),
    path("news/", include("news.urls")),
    path("search/", views.SearchView.as_view(), name="search"),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
