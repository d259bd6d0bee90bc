import hashlib
import uuid
from pathlib import PurePath

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import SPOKEN_LANGUAGES


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ARAB_STATES = "arab-states", _("Arab States")
    ASIA_PACIFIC = "asia-pacific", _("Asia and the Pacific")
    EUROPE_CENTRAL_ASIA = "europe-central-asia", _("Europe and Central Asia")
    GLOBAL = "global", _("Global")


class PublicationType(models.Model):
    """A series of publications, e.g. "Country case study on public policy" (translated)."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("publication type")
        verbose_name_plural = _("publication types")

    def __str__(self):
        return self.name


class Theme(models.Model):
    """A curated, translated subject; the 17 SDGs are themes with their number."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    sdg_number = models.PositiveSmallIntegerField(
        _("SDG number"), null=True, blank=True, unique=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "sdg_number", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name


class Author(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    name = models.CharField(
        _("name"), max_length=250, help_text=_("As cited: “Family, Given” for people.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="publications_author_unique")
        ]

    def __str__(self):
        return self.name


class Collection(models.Model):
    """A curated set of publications, e.g. the reading material of one Academy edition."""

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    edition = models.OneToOneField(
        "academies.Edition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collection",
        verbose_name=_("Academy edition"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self):
        return self.title


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class DatePrecision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


class PublicationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED, published_at__lte=timezone.now())


class Publication(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=400)
    subtitle = models.CharField(_("subtitle"), max_length=400, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    type = models.ForeignKey(
        PublicationType,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("type"),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="publications", verbose_name=_("themes")
    )
    countries = ArrayField(
        models.CharField(max_length=2, choices=list(countries)),
        verbose_name=_("countries"),
        default=list,
        blank=True,
    )
    regions = ArrayField(
        models.CharField(max_length=30, choices=Region.choices),
        verbose_name=_("regions"),
        default=list,
        blank=True,
    )
    authors = models.ManyToManyField(
        Author, through="Authorship", related_name="publications", verbose_name=_("authors")
    )
    publisher = models.CharField(
        _("publisher"), max_length=250, default="International Labour Organization"
    )
    publication_date = models.DateField(
        _("publication date"),
        help_text=_("For a year or a month only, use its first day and set the precision."),
    )
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.MONTH,
    )
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    handle_url = models.URLField(_("handle or permanent URL"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    collections = models.ManyToManyField(
        Collection, blank=True, related_name="publications", verbose_name=_("collections")
    )
    related = models.ManyToManyField("self", blank=True, verbose_name=_("related publications"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Maintained by publications.services.publication_index(); weighted A (titles) to
    # D (full text), each language's text with its own accent-insensitive configuration.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-publication_date", "slug"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [
            GinIndex(fields=["search_vector"], name="publication_search_idx"),
            GinIndex(fields=["countries"], name="publication_countries_idx"),
            models.Index(fields=["status", "-publication_date"], name="publication_listing_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="publication_published_has_time",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title_en or self.title)[:110] or uuid.uuid4().hex[:12]
        if self.status == PublicationStatus.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("publications:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED and bool(
            self.published_at and self.published_at <= timezone.now()
        )

    @property
    def year(self) -> int:
        return self.publication_date.year


class Authorship(models.Model):
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="authorships"
    )
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="authorships", verbose_name=_("author")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("authorship")
        verbose_name_plural = _("authors")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "author"], name="publications_authorship_unique"
            )
        ]

    def __str__(self):
        return str(self.author)


def version_upload_to(instance, filename):
    """publications/<slug>/<slug>-<language>.pdf: predictable, safe, never user-controlled."""
    slug = slugify(instance.publication.slug)[:100] or "publication"
    suffix = PurePath(filename).suffix.lower() or ".pdf"
    return (
        f"publications/{slug}/{slug}-{instance.language}{suffix if suffix == '.pdf' else '.pdf'}"
    )


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DONE = "done", _("Extracted")
    FAILED = "failed", _("Failed")
    NOT_APPLICABLE = "n/a", _("No file")


class LanguageVersion(models.Model):
    """One language of a publication: its own PDF file (or an external link) and its text."""

    publication = models.ForeignKey(
        Publication,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("publication"),
    )
    language = models.CharField(_("language"), max_length=8, choices=SPOKEN_LANGUAGES)
    file = models.FileField(_("PDF file"), upload_to=version_upload_to, max_length=300, blank=True)
    external_url = models.URLField(_("external link"), blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    size = models.PositiveBigIntegerField(
        _("size in bytes"), null=True, blank=True, editable=False
    )
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True, editable=False)
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    extraction_status = models.CharField(
        _("text extraction"),
        max_length=10,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
        editable=False,
    )
    extraction_error = models.TextField(_("extraction error"), blank=True, editable=False)
    extracted_at = models.DateTimeField(_("extracted at"), null=True, blank=True, editable=False)
    download_count = models.PositiveBigIntegerField(_("downloads"), default=0, editable=False)

    class Meta:
        ordering = ["publication", "language"]
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "language"], name="publications_version_language_unique"
            ),
            models.UniqueConstraint(
                fields=["checksum"],
                condition=~Q(checksum=""),
                name="publications_version_checksum_unique",
                violation_error_message=_("This file has already been uploaded."),
            ),
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(external_url=""),
                name="publications_version_file_or_link",
                violation_error_message=_("Give a PDF file or an external link."),
            ),
        ]
        indexes = [models.Index(fields=["language", "publication"], name="version_language_idx")]

    def __str__(self):
        return f"{self.publication} ({self.get_language_display()})"

    def get_download_url(self):
        return reverse(
            "publications:download",
            kwargs={"slug": self.publication.slug, "language": self.language},
        )

    def set_file(self, uploaded) -> None:
        """Attach a new PDF: record size and checksum and queue its text for extraction."""
        self.checksum = self.checksum_of(uploaded)
        self.size = uploaded.size
        self.file = uploaded
        self.text = ""
        self.page_count = None
        self.extraction_status = ExtractionStatus.PENDING
        self.extraction_error = ""

    @staticmethod
    def checksum_of(uploaded) -> str:
        digest = hashlib.sha256()
        for chunk in uploaded.chunks():
            digest.update(chunk)
        uploaded.seek(0)
        return digest.hexdigest()


def phrase_vector(vector="vector"):
    """A search document's words and side-by-side word pairs (see SearchDocument)."""
    return models.Func(
        models.F(vector), function="publications_phrase_vector", output_field=SearchVectorField()
    )


class SearchDocumentQuerySet(models.QuerySet):
    def visible(self):
        """Published and past their publication time: what visitors may find and count."""
        return self.filter(visible_at__lte=timezone.now())


class SearchDocument(models.Model):
    """A narrow copy of what the library search reads for every match, one per publication.

    Search, facet counts and ranking run over these small rows instead of the wide
    publication rows (five translations of every text). Database triggers (migration 0002)
    keep it in step with every write to publications, their themes and language versions,
    whichever path the write takes: visibility changes apply in the same transaction.

    - ``vector`` is the publication's full search vector (matching only; kept out of line);
    - ``rank_vector`` its titles, summaries and metadata (weights A-C): relevance of a
      selective search, without the full text;
    - ``title_vector`` its titles alone (weight A), small enough to stay in the row:
      relevance of a search that matches a large part of the library.

    The phrase index (migration 0003) holds, besides every word of ``vector``, each pair of
    words found side by side in it ("social enterpris"): a two-word phrase is then matched
    by the index alone, without reading each candidate's full vector to check positions.
    """

    publication = models.OneToOneField(
        Publication,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    # published_at when published, NULL for drafts: visible once it is in the past.
    visible_at = models.DateTimeField(null=True)
    slug = models.SlugField(max_length=120, db_index=False)
    type = models.ForeignKey(
        PublicationType,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    publication_date = models.DateField()
    countries = ArrayField(models.CharField(max_length=2), default=list)
    themes = ArrayField(models.BigIntegerField(), default=list)
    languages = ArrayField(models.CharField(max_length=8), default=list)
    vector = SearchVectorField(null=True)
    rank_vector = SearchVectorField(null=True)
    title_vector = SearchVectorField(null=True)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        indexes = [
            GinIndex(fields=["vector"], name="search_document_vector_idx"),
            GinIndex(phrase_vector(), name="search_document_phrase_idx"),
            GinIndex(fields=["themes"], name="search_document_themes_idx"),
            GinIndex(fields=["languages"], name="search_document_languages_idx"),
            GinIndex(fields=["countries"], name="search_document_countries_idx"),
            models.Index(fields=["-publication_date", "slug"], name="search_document_newest_idx"),
            models.Index(fields=["visible_at"], name="search_document_visible_idx"),
        ]

    def __str__(self):
        return self.slug


class SearchTerm(models.Model):
    """Distinct words of published titles and summaries, for "did you mean" (trigram)."""

    word = models.CharField(max_length=100, unique=True)
    frequency = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            GinIndex(fields=["word"], name="search_term_trgm_idx", opclasses=["gin_trgm_ops"])
        ]

    def __str__(self):
        return self.word


MAX_INDEXED_TEXT = 400_000  # characters of a PDF's text that go into the search vector
