"""Builders for news and events tests."""

import datetime
import itertools

from django.utils import timezone

from news.models import Event, EventKind, NewsItem, Status, Tag

_sequence = itertools.count(1)

LANGUAGES = ["en", "fr", "es", "pt", "it"]


def days_from_now(days, **delta):
    return timezone.now() + datetime.timedelta(days=days, **delta)


def make_tag(slug="sse-academy", **fields):
    fields.setdefault("name_en", slug.replace("-", " ").title())
    return Tag.objects.get_or_create(slug=slug, defaults=fields)[0]


def make_news(*, title="Cooperatives meet in Turin", published=True, tags=(), **fields):
    number = next(_sequence)
    fields.setdefault("slug", f"news-{number}")
    fields.setdefault("title_en", title)
    fields.setdefault("summary_en", "A short summary of the news.")
    fields.setdefault("body_en", "Some **Markdown** body.")
    if published:
        fields.setdefault("status", Status.PUBLISHED)
        fields.setdefault("published_at", days_from_now(-1, minutes=-number))
    item = NewsItem.objects.create(**fields)
    if tags:
        item.tags.set(tags)
    return item


def make_event(*, title="Webinar on cooperatives", published=True, starts_in_days=10, **fields):
    number = next(_sequence)
    fields.setdefault("slug", f"event-{number}")
    fields.setdefault("title_en", title)
    fields.setdefault("kind", EventKind.WEBINAR)
    fields.setdefault("start", days_from_now(starts_in_days))
    fields.setdefault("end", fields["start"] + datetime.timedelta(hours=2))
    fields.setdefault("time_zone", "Europe/Rome")
    fields.setdefault("status", Status.PUBLISHED if published else Status.DRAFT)
    return Event.objects.create(**fields)
