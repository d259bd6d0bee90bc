"""What one publication says about itself: citations, JSON-LD, Highwire and download facts.

Everything here works on a publication whose relations are already loaded (see
``publication_queryset``), so building every format costs no further query.
"""

import json
import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django_countries import countries as country_names

from publications.models import (
    Author,
    Authorship,
    Collection,
    DatePrecision,
    LanguageVersion,
    Publication,
    Region,
)

CSL_CONTENT_TYPE = "application/vnd.citationstyles.csl+json; charset=utf-8"
RIS_CONTENT_TYPE = "application/x-research-info-systems; charset=utf-8"
BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"

# Heavy columns no page needs: the search vector and the extracted text of each PDF.
VERSION_DEFERRED = ("text", "extraction_error")


def visible_publications(user):
    """Published publications for everyone; curators (staff) also see drafts."""
    if user is not None and user.is_authenticated and user.is_staff:
        return Publication.objects.all()
    return Publication.objects.published()


def publication_queryset(user, *, full=True):
    """Everything the publication page shows, in a constant number of queries."""
    queryset = (
        visible_publications(user)
        .select_related("type")
        .defer("search_vector")
        .prefetch_related(
            Prefetch("authorships", queryset=Authorship.objects.select_related("author")),
            "themes",
            Prefetch(
                "versions",
                queryset=LanguageVersion.objects.defer(*VERSION_DEFERRED).order_by("language"),
            ),
        )
    )
    if full:
        queryset = queryset.prefetch_related(
            Prefetch("collections", queryset=Collection.objects.select_related("edition")),
            Prefetch(
                "related",
                queryset=Publication.objects.published()
                .select_related("type")
                .only("slug", "title", "publication_date", "type__name")
                .order_by("-publication_date", "slug"),
            ),
        )
    return queryset


# Names -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """An author as citation formats want it: family and given names, or a literal."""

    literal: str
    family: str = ""
    given: str = ""

    @property
    def is_person(self) -> bool:
        return bool(self.family)

    @classmethod
    def of(cls, author: Author) -> "Name":
        name = " ".join(author.name.split())
        if author.kind == Author.Kind.ORGANISATION or not name:
            return cls(literal=name)
        if "," in name:
            family, given = (part.strip() for part in name.split(",", 1))
        else:
            *given_parts, family = name.split(" ")
            given = " ".join(given_parts)
        if not family:
            return cls(literal=name)
        return cls(literal=name, family=family, given=given)

    @property
    def inverted(self) -> str:
        """ "Family, Given" (Highwire, RIS, BibTeX) or the organisation's name."""
        if not self.is_person:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family

    @property
    def initials(self) -> str:
        """ "Jean-Pierre Ana" → "J.-P. A."."""
        words = []
        for word in self.given.split():
            pieces = [piece for piece in word.split("-") if piece]
            words.append("-".join(f"{piece[0]}." for piece in pieces))
        return " ".join(words)

    @property
    def apa(self) -> str:
        if not self.is_person:
            return self.literal
        return f"{self.family}, {self.initials}" if self.initials else self.family


def apa_author_list(names: list[Name]) -> str:
    """APA 7: "A, B, & C"; beyond twenty authors, nineteen, an ellipsis and the last."""
    parts = [name.apa for name in names]
    if len(parts) <= 1:
        return "".join(parts)
    if len(parts) > 20:
        return ", ".join(parts[:19]) + ", . . . " + parts[-1]
    return ", ".join(parts[:-1]) + ", & " + parts[-1]


# Small helpers -----------------------------------------------------------------------

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def clean_doi(doi: str) -> str:
    return _DOI_PREFIX.sub("", (doi or "").strip())


def doi_url(doi: str) -> str:
    doi = clean_doi(doi)
    return f"https://doi.org/{quote(doi, safe='/:;()[]<>')}" if doi else ""


def _end_with_period(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?!" else f"{text}."


def join_title(title: str, subtitle: str) -> str:
    title, subtitle = (title or "").strip(), (subtitle or "").strip()
    if not subtitle:
        return title
    if title and title[-1] in "?!:.":
        return f"{title} {subtitle}"
    return f"{title}: {subtitle}"


def language_name(code: str) -> str:
    """The name of a language in the reader's language ("French", "français"…)."""
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        return dict(LanguageVersion._meta.get_field("language").choices).get(code, code)


def json_for_script(data) -> str:
    """JSON safe inside <script>: no "</script>", "<!--" or "&" can close or confuse it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for character, escape in (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026")):
        text = text.replace(character, escape)
    return mark_safe(text)  # every markup character is escaped above


# BibTeX and RIS escaping -------------------------------------------------------------

_BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
_BIBTEX_MONTHS = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
]


def bibtex_escape(value: str) -> str:
    return " ".join(str(value).split()).translate(_BIBTEX_ESCAPES)


def ris_value(value: str) -> str:
    return " ".join(str(value).split())


# Versions ----------------------------------------------------------------------------


@dataclass
class Download:
    """One language version as the page and the metadata formats present it."""

    version: LanguageVersion
    url: str
    absolute_url: str

    @property
    def language(self) -> str:
        return self.version.language

    @property
    def language_name(self) -> str:
        return language_name(self.version.language)

    @property
    def is_file(self) -> bool:
        return bool(self.version.file)

    @property
    def is_external(self) -> bool:
        return not self.is_file and bool(self.version.external_url)

    @property
    def details(self) -> str:
        """ "PDF, 1.2 MB, 34 pages"; "External link" for a version kept elsewhere."""
        if not self.is_file:
            return gettext("External link")
        parts = ["PDF"]
        if self.version.size:
            parts.append(filesizeformat(self.version.size))
        if self.version.page_count:
            parts.append(
                ngettext("%(count)s page", "%(count)s pages", self.version.page_count)
                % {"count": formats.number_format(self.version.page_count)}
            )
        return ", ".join(parts)

    @property
    def download_count_label(self) -> str:
        count = self.version.download_count
        return ngettext("%(count)s download", "%(count)s downloads", count) % {
            "count": formats.number_format(count, force_grouping=True)
        }


def preferred(items, language: str, *, key=lambda item: item.language):
    """The item in ``language``, else in English, else the first one."""
    items = list(items)
    for wanted in (language, settings.LANGUAGE_CODE):
        for item in items:
            if key(item) == wanted:
                return item
    return items[0] if items else None


# The publication's metadata ------------------------------------------------------------


class PublicationMetadata:
    """All derived views of one publication for one request (absolute URLs need the host)."""

    def __init__(self, publication: Publication, request):
        self.publication = publication
        self.request = request
        self.language = translation.get_language() or settings.LANGUAGE_CODE

    # Basic facts

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    @cached_property
    def url(self) -> str:
        return self.absolute(self.publication.get_absolute_url())

    @cached_property
    def names(self) -> list[Name]:
        return [Name.of(authorship.author) for authorship in self.publication.authorships.all()]

    @cached_property
    def authors(self) -> list[Author]:
        return [authorship.author for authorship in self.publication.authorships.all()]

    @cached_property
    def themes(self):
        return list(self.publication.themes.all())

    @cached_property
    def subtitle(self) -> str:
        """The subtitle in the title's language: an untranslated one is not mixed in."""
        language = self.title_language or self.language
        if language not in dict(settings.LANGUAGES):
            return self.publication.subtitle
        return getattr(self.publication, f"subtitle_{language}", "") or ""

    @cached_property
    def full_title(self) -> str:
        return join_title(self.publication.title, self.subtitle)

    def _fallback_language(self, field: str) -> str | None:
        """The language actually shown for a translated field when it is not the page's."""
        if getattr(self.publication, f"{field}_{self.language}", None):
            return None
        return settings.LANGUAGE_CODE if self.language != settings.LANGUAGE_CODE else None

    @cached_property
    def title_language(self) -> str | None:
        return self._fallback_language("title")

    @cached_property
    def summary_language(self) -> str | None:
        return self._fallback_language("summary")

    @cached_property
    def description(self) -> str:
        """One plain sentence or two for search engines and link previews."""
        text = " ".join((self.publication.summary or "").split()) or self.full_title
        return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"

    @cached_property
    def doi(self) -> str:
        return clean_doi(self.publication.doi)

    @cached_property
    def doi_url(self) -> str:
        return doi_url(self.publication.doi)

    @cached_property
    def countries(self) -> list[tuple[str, str]]:
        return [(code, country_names.name(code) or code) for code in self.publication.countries]

    @cached_property
    def regions(self) -> list[str]:
        return [
            str(Region(code).label) for code in self.publication.regions if code in Region.values
        ]

    # Dates

    @property
    def precision(self) -> str:
        return self.publication.date_precision

    @cached_property
    def display_date(self) -> str:
        date = self.publication.publication_date
        if self.precision == DatePrecision.YEAR:
            return str(date.year)
        if self.precision == DatePrecision.MONTH:
            return formats.date_format(date, "YEAR_MONTH_FORMAT")
        return formats.date_format(date, "DATE_FORMAT")

    @cached_property
    def date_parts(self) -> list[int]:
        date = self.publication.publication_date
        if self.precision == DatePrecision.YEAR:
            return [date.year]
        if self.precision == DatePrecision.MONTH:
            return [date.year, date.month]
        return [date.year, date.month, date.day]

    @cached_property
    def iso_date(self) -> str:
        """2016, 2016-11 or 2016-11-01 (schema.org datePublished)."""
        return "-".join(
            f"{part:02d}" if index else str(part) for index, part in enumerate(self.date_parts)
        )

    @cached_property
    def slashed_date(self) -> str:
        """2016, 2016/11 or 2016/11/01 (Highwire citation_publication_date, RIS DA)."""
        return self.iso_date.replace("-", "/")

    # Versions

    @cached_property
    def downloads(self) -> list[Download]:
        downloads = []
        for version in self.publication.versions.all():
            if not (version.file or version.external_url):
                continue
            path = reverse(
                "publications:download",
                kwargs={"slug": self.publication.slug, "language": version.language},
            )
            downloads.append(Download(version, path, self.absolute(path)))
        return downloads

    @cached_property
    def languages(self) -> list[str]:
        return [download.language for download in self.downloads]

    @cached_property
    def pdf(self) -> Download | None:
        """The PDF for Google Scholar: the reader's language, else English, else the first."""
        return preferred([d for d in self.downloads if d.is_file], self.language)

    @cached_property
    def main_language(self) -> str:
        chosen = preferred(self.downloads, self.language)
        return chosen.language if chosen else self.language

    # Formatted citation

    @cached_property
    def citation_link(self) -> str:
        return self.doi_url or self.url

    @cached_property
    def citation(self) -> str:
        """APA-like: "Family, G., & Family, G. (2016). Title: Subtitle. Publisher. URL"."""
        publication = self.publication
        title = _end_with_period(self.full_title)
        year = f"({publication.year})."
        parts = []
        if self.names:
            authors = apa_author_list(self.names)
            parts += [authors if authors.endswith(".") else f"{authors}.", year, title]
        else:
            parts += [title, year]
        sole_author = self.names[0].literal if len(self.names) == 1 else None
        if publication.publisher and publication.publisher != sole_author:
            parts.append(_end_with_period(publication.publisher))
        parts.append(self.citation_link)
        return " ".join(part for part in parts if part)

    # Export formats

    @cached_property
    def bibtex_key(self) -> str:
        return f"{self.publication.slug}-{self.publication.year}"

    def bibtex(self) -> str:
        publication = self.publication
        is_book = bool(publication.isbn)
        fields = []
        if self.names:
            authors = " and ".join(
                bibtex_escape(name.inverted)
                if name.is_person
                else f"{{{bibtex_escape(name.literal)}}}"
                for name in self.names
            )
            fields.append(("author", f"{{{authors}}}"))
        fields.append(("title", f"{{{bibtex_escape(self.full_title)}}}"))
        fields.append(("year", f"{{{publication.year}}}"))
        if len(self.date_parts) > 1:
            fields.append(("month", _BIBTEX_MONTHS[self.date_parts[1] - 1]))
        if publication.publisher:
            field = "publisher" if is_book else "institution"
            fields.append((field, f"{{{bibtex_escape(publication.publisher)}}}"))
        if not is_book and publication.type_id:
            fields.append(("type", f"{{{bibtex_escape(publication.type.name)}}}"))
        if publication.isbn:
            fields.append(("isbn", f"{{{bibtex_escape(publication.isbn)}}}"))
        if self.doi:
            fields.append(("doi", f"{{{bibtex_escape(self.doi)}}}"))
        fields.append(("url", f"{{{bibtex_escape(self.url)}}}"))
        if self.languages:
            fields.append(("language", f"{{{bibtex_escape(', '.join(self.languages))}}}"))
        body = ",\n".join(f"  {name} = {value}" for name, value in fields)
        entry_type = "book" if is_book else "techreport"
        return f"@{entry_type}{{{self.bibtex_key},\n{body}\n}}\n"

    def ris(self) -> str:
        publication = self.publication
        lines = [("TY", "RPRT")]
        lines += [("AU", name.inverted) for name in self.names]
        lines += [("TI", self.full_title), ("PY", str(publication.year))]
        lines.append(("DA", self.slashed_date))
        if publication.publisher:
            lines.append(("PB", publication.publisher))
        if publication.isbn:
            lines.append(("SN", publication.isbn))
        if self.doi:
            lines.append(("DO", self.doi))
        lines.append(("UR", self.url))
        lines += [("LA", language) for language in self.languages]
        lines += [("KW", theme.name) for theme in self.themes]
        if publication.summary:
            lines.append(("AB", publication.summary))
        lines.append(("ER", ""))
        return "".join(f"{tag}  - {ris_value(value)}\r\n" for tag, value in lines)

    def csl_item(self) -> dict:
        publication = self.publication
        item = {
            "id": self.bibtex_key,
            "type": "report",
            "title": self.full_title,
            "author": [
                {"family": name.family, "given": name.given}
                if name.is_person
                else {"literal": name.literal}
                for name in self.names
            ],
            "issued": {"date-parts": [self.date_parts]},
            "publisher": publication.publisher,
            "URL": self.url,
            "language": self.main_language,
        }
        if publication.type_id:
            item["genre"] = publication.type.name
        if publication.summary:
            item["abstract"] = publication.summary
        if self.doi:
            item["DOI"] = self.doi
        if publication.isbn:
            item["ISBN"] = publication.isbn
        return item

    def csl_json(self) -> str:
        return json.dumps([self.csl_item()], ensure_ascii=False, indent=2)

    # Structured data for search engines

    def _schema_author(self, name: Name) -> dict:
        if not name.is_person:
            return {"@type": "Organization", "name": name.literal}
        person = {"@type": "Person", "name": name.inverted, "familyName": name.family}
        if name.given:
            person["givenName"] = name.given
        return person

    @cached_property
    def schema_org(self) -> dict:
        publication = self.publication
        data = {
            "@context": "https://schema.org",
            "@type": "Report",
            "@id": self.url,
            "url": self.url,
            "name": self.publication.title,
            "headline": self.full_title[:110],
            "datePublished": self.iso_date,
        }
        if self.languages:
            data["inLanguage"] = self.languages
        if self.subtitle:
            data["alternativeHeadline"] = self.subtitle
        if publication.summary:
            data["description"] = publication.summary
        if self.names:
            data["author"] = [self._schema_author(name) for name in self.names]
        if publication.publisher:
            data["publisher"] = {"@type": "Organization", "name": publication.publisher}
        if publication.type_id:
            data["genre"] = publication.type.name
        identifiers = []
        if publication.isbn:
            identifiers.append(
                {"@type": "PropertyValue", "propertyID": "ISBN", "value": publication.isbn}
            )
        if self.doi:
            identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": self.doi})
            data["sameAs"] = [self.doi_url]
        if identifiers:
            data["identifier"] = identifiers
        media = []
        for download in self.downloads:
            if download.is_file:
                item = {
                    "@type": "MediaObject",
                    "contentUrl": download.absolute_url,
                    "encodingFormat": "application/pdf",
                    "inLanguage": download.language,
                }
                if download.version.size:
                    item["contentSize"] = f"{download.version.size} B"
            else:
                item = {
                    "@type": "MediaObject",
                    "url": download.version.external_url,
                    "inLanguage": download.language,
                }
            media.append(item)
        if media:
            data["encoding"] = media
            data["associatedMedia"] = media
        if self.themes:
            data["about"] = [{"@type": "Thing", "name": theme.name} for theme in self.themes]
        if self.countries:
            data["spatialCoverage"] = [
                {"@type": "Country", "name": name, "identifier": code}
                for code, name in self.countries
            ]
        return data

    @cached_property
    def json_ld(self) -> str:
        return json_for_script(self.schema_org)

    @cached_property
    def highwire(self) -> list[tuple[str, str]]:
        """Google Scholar's citation_* meta tags, in the order its documentation lists them."""
        publication = self.publication
        tags = [("citation_title", self.full_title)]
        tags += [("citation_author", name.inverted) for name in self.names]
        tags.append(("citation_publication_date", self.slashed_date))
        if publication.publisher:
            tags.append(("citation_publisher", publication.publisher))
            if not publication.isbn:
                tags.append(("citation_technical_report_institution", publication.publisher))
        if self.pdf:
            tags.append(("citation_pdf_url", self.pdf.absolute_url))
        tags.append(("citation_abstract_html_url", self.url))
        languages = [self.pdf.language] if self.pdf else []
        languages += [code for code in self.languages if code not in languages]
        tags += [("citation_language", code) for code in languages]
        if publication.isbn:
            tags.append(("citation_isbn", publication.isbn))
        if self.doi:
            tags.append(("citation_doi", self.doi))
        if self.themes:
            tags.append(("citation_keywords", "; ".join(theme.name for theme in self.themes)))
        return tags
