"""News list and items, events (upcoming and past), and their calendar files.

Every page is built in a constant number of queries, whatever the number of rows shown;
drafts (and news items scheduled for later) are only ever shown to curators, as a preview.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from academies.models import Edition
from news import ical
from news.filters import NewsFilter
from news.models import Event, NewsItem, Tag
from publications.models import Publication

NEWS_PAGE_SIZE = 12
EVENTS_PAGE_SIZE = 10
CALENDAR_SIZE = 500


def _ordered_tags():
    return Tag.objects.order_by("slug")


def news_list_queryset():
    return (
        NewsItem.objects.published()
        .select_related("author")
        .prefetch_related(Prefetch("tags", queryset=_ordered_tags()))
        .order_by("-published_at", "-pk")
    )


def _no_store_preview(response, is_draft):
    if is_draft:
        # A curator's preview: never cached on the way, never indexed.
        patch_cache_control(response, private=True, no_store=True)
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


class IndexView(ListView):
    """/news/: the newest published items first, optionally of one tag (?tag=slug)."""

    template_name = "news/index.html"
    context_object_name = "news_items"
    paginate_by = NEWS_PAGE_SIZE

    def get_queryset(self):
        self.filterset = NewsFilter(self.request.GET, queryset=news_list_queryset())
        # An unknown tag is reported on the page and the filter ignored: never an error page.
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        """Any ?page= value gives a page: the first for junk, the last when out of range."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        selected = form.cleaned_data.get("tag") if form.is_valid() else None
        context.update(
            filter=self.filterset,
            selected_tag=selected,
            tag_errors=form.errors.get("tag", []),
            tags=list(
                Tag.objects.filter(news_items__in=NewsItem.objects.published())
                .distinct()
                .order_by("slug")
            ),
        )
        return context


class NewsDetailView(DetailView):
    template_name = "news/detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return (
            NewsItem.objects.visible_to(self.request.user)
            .select_related("author")
            .prefetch_related(
                Prefetch("tags", queryset=_ordered_tags()),
                Prefetch(
                    "publications",
                    queryset=Publication.objects.published()
                    .select_related("type")
                    .defer("search_vector")
                    .order_by("-publication_date", "slug"),
                ),
                Prefetch("editions", queryset=Edition.objects.order_by("number")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.object
        request = self.request
        context.update(
            is_draft=not item.is_public,
            canonical_url=request.build_absolute_uri(item.get_absolute_url()),
            image_url=request.build_absolute_uri(item.image.url) if item.image else "",
            tags=list(item.tags.all()),
            related_publications=list(item.publications.all()),
            related_editions=list(item.editions.all()),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return _no_store_preview(response, context["is_draft"])


def _page(request, queryset, name):
    return Paginator(queryset, EVENTS_PAGE_SIZE).get_page(request.GET.get(name))


class EventListView(TemplateView):
    """/news/events/: upcoming events (soonest first) and past events, each paginated."""

    template_name = "news/event_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        events = Event.objects.published().select_related("edition")
        context.update(
            upcoming=_page(self.request, events.upcoming(now), "page"),
            past=_page(self.request, events.past(now), "past_page"),
        )
        return context


class EventDetailView(DetailView):
    template_name = "news/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user).select_related("edition")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        context.update(
            is_draft=not event.is_published,
            is_past=event.end < timezone.now(),
            canonical_url=self.request.build_absolute_uri(event.get_absolute_url()),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return _no_store_preview(response, context["is_draft"])


def _calendar_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=15 * 60)
    return response


def event_ics(request, slug):
    """/news/events/<slug>/event.ics: one published event, for any calendar application."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    body = ical.calendar([event], lambda item: request.build_absolute_uri(item.get_absolute_url()))
    return _calendar_response(body, f"{event.slug}.ics")


def calendar_feed(request):
    """/news/events/calendar.ics: the upcoming published events, to subscribe to."""
    events = Event.objects.published().upcoming()[:CALENDAR_SIZE]
    body = ical.calendar(
        events,
        lambda item: request.build_absolute_uri(item.get_absolute_url()),
        name=_("Collective Brain events"),
    )
    return _calendar_response(body, "collective-brain-events.ics")
