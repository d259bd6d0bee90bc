"""Rebuild the library's search index (and, with --extract, every PDF's text)."""

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from publications.models import ExtractionStatus, LanguageVersion, Publication
from publications.services import (
    publication_index,
    search_terms_refresh,
    version_extract_text,
)

CHUNK_SIZE = 500


class Command(BaseCommand):
    help = (
        "Rebuild the search vector of every publication, then the “did you mean” word list. "
        "With --extract, read the text of every PDF file again first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--extract",
            action="store_true",
            help="Re-run PDF text extraction for every language version that has a file.",
        )

    def _progress(self, iterable, *, total, description, verbosity):
        return tqdm(
            iterable,
            total=total,
            desc=description,
            unit="",
            # The raw stream: Django's wrapper would add a newline to every refresh.
            file=getattr(self.stderr, "_out", sys.stderr),
            disable=verbosity == 0,
            dynamic_ncols=True,
        )

    def handle(self, *args, extract=False, verbosity=1, **options):
        if extract:
            versions = (
                LanguageVersion.objects.exclude(file="")
                .select_related("publication")
                .order_by("pk")
            )
            failed = 0
            for version in self._progress(
                versions.iterator(chunk_size=CHUNK_SIZE),
                total=versions.count(),
                description=_("PDF text"),
                verbosity=verbosity,
            ):
                version = version_extract_text(version=version)
                failed += version.extraction_status == ExtractionStatus.FAILED
            self.stdout.write(
                _("Text extracted from %(done)d files, %(failed)d failed.")
                % {"done": versions.count() - failed, "failed": failed}
            )

        publications = Publication.objects.order_by("pk")
        indexed = 0
        for publication in self._progress(
            publications.iterator(chunk_size=CHUNK_SIZE),
            total=publications.count(),
            description=_("Search index"),
            verbosity=verbosity,
        ):
            publication_index(publication=publication)
            indexed += 1
        terms = search_terms_refresh()
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)d publications indexed, %(terms)d search terms.")
                % {"count": indexed, "terms": terms}
            )
        )
