"""Shared builders for library tests: real rows, real PDF files."""

import datetime
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from publications.models import (
    Author,
    Authorship,
    LanguageVersion,
    Publication,
    PublicationStatus,
    PublicationType,
    Theme,
)
from publications.pdf import make_pdf

_sequence = itertools.count(1)


def make_type(slug="country-case-study", **fields):
    fields.setdefault("name_en", "Country case study on public policy")
    fields.setdefault("name_fr", "Étude de cas pays sur les politiques publiques")
    return PublicationType.objects.get_or_create(slug=slug, defaults=fields)[0]


def make_theme(slug="decent-work", **fields):
    fields.setdefault("name_en", slug.replace("-", " ").capitalize())
    return Theme.objects.get_or_create(slug=slug, defaults=fields)[0]


def make_publication(*, title="Public policies for the SSE in Brazil", published=True, **fields):
    number = next(_sequence)
    fields.setdefault("slug", f"publication-{number}")
    fields.setdefault("type", make_type())
    fields.setdefault("publication_date", datetime.date(2016, 11, 1))
    fields.setdefault(
        "summary_en", "A study of public policies for the social and solidarity economy."
    )
    fields.setdefault("title_en", title)
    if published:
        fields.setdefault("status", PublicationStatus.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=1))
    authors = fields.pop("authors", [])
    themes = fields.pop("themes", [])
    publication = Publication.objects.create(**fields)
    for order, name in enumerate(authors):
        author = Author.objects.get_or_create(name=name, kind=Author.Kind.PERSON)[0]
        Authorship.objects.create(publication=publication, author=author, order=order)
    publication.themes.set(themes)
    return publication


def pdf_upload(text: str, *, title="A publication", language="en", name="document.pdf"):
    return SimpleUploadedFile(
        name, make_pdf(title, [text], language=language), content_type="application/pdf"
    )


def make_version(publication, language="en", text="Cooperatives create decent work.", **fields):
    version = LanguageVersion(publication=publication, language=language, **fields)
    version.set_file(pdf_upload(text, title=publication.title_en, language=language))
    version.save()
    return version
