"""RSS and Atom feeds of the newest publications, optionally of one type or one language.

``/<lang>/library/feed/`` (RSS 2.0) and ``/<lang>/library/feed/atom/`` (Atom 1.0) take two
optional query parameters: ``type`` (a publication type's slug) and ``language`` (the
code of a language version: only publications available in that language). Unknown
values answer 404. Titles and descriptions are in the language of the URL prefix, with
English as the fallback; a feed is built in a constant number of queries.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import linebreaks
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from accounts.models import SPOKEN_LANGUAGES
from publications.models import (
    Authorship,
    LanguageVersion,
    Publication,
    PublicationType,
)

FEED_SIZE = 50
FEED_MAX_AGE = 15 * 60  # seconds a client or a shared cache may keep a feed


@dataclass(frozen=True)
class FeedFilter:
    """What one request asks for; the Feed instance itself is shared between requests."""

    path: str
    root: str
    type: PublicationType | None = None
    language: str = ""

    @property
    def language_name(self) -> str:
        return _(dict(SPOKEN_LANGUAGES)[self.language]) if self.language else ""


def _single(request, name: str) -> str:
    values = request.GET.getlist(name)
    if len(values) > 1:
        raise Http404(f"Give “{name}” once.")
    return values[0].strip() if values else ""


@method_decorator(cache_control(max_age=FEED_MAX_AGE, public=True), name="__call__")
class PublicationRssFeed(Feed):
    """RSS 2.0 feed of the newest published publications."""

    def get_object(self, request, *args, **kwargs):
        type_slug = _single(request, "type")
        language = _single(request, "language")
        publication_type = None
        if type_slug:
            publication_type = PublicationType.objects.filter(slug=type_slug).first()
            if publication_type is None:
                raise Http404("No such publication type.")
        if language and language not in dict(SPOKEN_LANGUAGES):
            raise Http404("No such language.")
        return FeedFilter(
            path=request.get_full_path(),
            root=request.build_absolute_uri("/").rstrip("/"),
            type=publication_type,
            language=language,
        )

    # The feed

    def title(self, obj):
        if obj.type and obj.language:
            return _("Collective Brain library: %(type)s in %(language)s") % {
                "type": obj.type.name,
                "language": obj.language_name,
            }
        if obj.type:
            return _("Collective Brain library: %(type)s") % {"type": obj.type.name}
        if obj.language:
            return _("Collective Brain library: publications in %(language)s") % {
                "language": obj.language_name
            }
        return _("Collective Brain library: new publications")

    def description(self, obj):
        return _(
            "The latest publications on the social and solidarity economy added to the "
            "Collective Brain library."
        )

    subtitle = description  # Atom's <subtitle>; RSS uses <description>.

    def link(self, obj):
        return reverse("publications:index")

    def feed_url(self, obj):
        return obj.path

    def author_name(self, obj):
        return _("Collective Brain")

    def items(self, obj):
        publications = (
            Publication.objects.published()
            .select_related("type")
            .defer("search_vector")
            .prefetch_related(
                "themes",
                Prefetch("authorships", queryset=Authorship.objects.select_related("author")),
                Prefetch(
                    "versions",
                    queryset=LanguageVersion.objects.only(
                        "id", "publication_id", "language", "file", "size"
                    ),
                ),
            )
            .order_by("-published_at", "-pk")
        )
        if obj.type:
            publications = publications.filter(type=obj.type)
        if obj.language:
            publications = publications.filter(versions__language=obj.language)
        items = list(publications[:FEED_SIZE])
        for item in items:  # item_* methods only see the item: give it this request's root
            item.feed_root = obj.root
        return items

    # Each item (all from the prefetched rows: no query per item)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return linebreaks(item.summary, autoescape=True) if item.summary else ""

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        names = [str(authorship.author) for authorship in item.authorships.all()]
        return "; ".join(names) or None

    def item_categories(self, item):
        return [item.type.name, *(theme.name for theme in item.themes.all())]

    def _enclosure(self, item, version):
        path = reverse(
            "publications:download", kwargs={"slug": item.slug, "language": version.language}
        )
        # Enclosure URLs must be absolute; the syndication framework only completes links.
        return Enclosure(
            url=item.feed_root + path, length=str(version.size or 0), mime_type="application/pdf"
        )

    def _files(self, item):
        return [version for version in item.versions.all() if version.file]

    def item_enclosures(self, item):
        """RSS allows one enclosure: the PDF in the reader's language, else English, else any."""
        files = {version.language: version for version in self._files(item)}
        for language in (get_language(), "en", *files):
            if language in files:
                return [self._enclosure(item, files[language])]
        return []


class PublicationAtomFeed(PublicationRssFeed):
    """The same feed in Atom 1.0, with every PDF of a publication as an enclosure."""

    feed_type = Atom1Feed

    def item_enclosures(self, item):
        return [self._enclosure(item, version) for version in self._files(item)]
