"""What a visitor may narrow the library by, validated by django-filter.

Every filter of the search page lives here, including the query itself: the words in
web-search syntax ("exact phrase", -word, or) become one PostgreSQL tsquery, with every
word stemmed in each interface language and also kept as typed (names, acronyms).
"""

import datetime
import re
from collections.abc import Sized
from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Func, Q, TextChoices
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import SPOKEN_LANGUAGES
from collective_brain.search import SEARCH_CONFIGS, SIMPLE_CONFIG
from publications.models import PublicationType, SearchDocument, Theme

MAX_QUERY_LENGTH = 200
# A query word is stemmed in every configuration, and kept whole by the simple one.
QUERY_CONFIGS = [SIMPLE_CONFIG, *SEARCH_CONFIGS.values()]
_WORD = re.compile(r"\w", re.UNICODE)
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


class SortOrder(TextChoices):
    RELEVANCE = "relevance", _("Relevance")
    NEWEST = "newest", _("Newest first")
    OLDEST = "oldest", _("Oldest first")
    TITLE = "title", _("Title (A to Z)")


# ---------------------------------------------------------------------------------------
# The query: web-search syntax, parsed here so that each word is OR-ed across languages
# *before* the operators apply. (websearch_to_tsquery per language, then OR-ed, lets an
# excluded word slip through whenever two stemmers disagree on it.)


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    negated: bool = False


def parse_web_query(text: str) -> list[list[Term]]:
    """Split a query like PostgreSQL's websearch_to_tsquery: groups joined by "or", each
    an AND of words and "phrases", "-" excluding one. Groups without a word to look for
    are dropped (a query made only of exclusions would scan the whole library)."""
    groups: list[list[Term]] = [[]]
    position, length = 0, len(text)
    while position < length:
        character = text[position]
        if character.isspace():
            position += 1
            continue
        negated = False
        if character == "-" and position + 1 < length and not text[position + 1].isspace():
            negated = True
            position += 1
            character = text[position]
        if character == '"':
            end = text.find('"', position + 1)
            end = length if end == -1 else end
            phrase = text[position + 1 : end]
            position = end + 1
            if _WORD.search(phrase):
                groups[-1].append(Term(phrase, phrase=True, negated=negated))
            continue
        end = position
        while end < length and not text[end].isspace() and text[end] != '"':
            end += 1
        word, position = text[position:end], end
        if not negated and word.lower() == "or":
            if groups[-1]:
                groups.append([])
            continue
        if _WORD.search(word):
            groups[-1].append(Term(word, negated=negated))
    return [group for group in groups if any(not term.negated for term in group)]


def positive_words(groups: list[list[Term]]) -> list[str]:
    return [
        word.lower()
        for group in groups
        for term in group
        if not term.negated
        for word in re.findall(r"\w+", term.text)
    ]


@dataclass(frozen=True)
class CompiledQuery:
    """A query as tsquery text over the full vector, and for phrases over the phrase index.

    ``pairs`` is the same query for the phrase index (see SearchDocument), each two-word
    phrase reading ``'a' <-> 'b'`` written as the pair ``'a b'``; None without a phrase, or
    when an excluded phrase cannot be written so. When ``exact``, the index alone decides
    (every phrase was a pair); otherwise it only narrows the candidates (longer phrases
    become all their pairs, a phrase with a dropped stop word its words) whose full
    vector is then checked.
    """

    text: str
    pairs: str | None = None
    exact: bool = False

    def condition(self) -> Q:
        """Which search documents match it."""
        if self.pairs is None:
            return Q(vector=TsQuery(self.text))
        from django.contrib.postgres.search import SearchVectorExact  # noqa: PLC0415

        from publications.models import phrase_vector  # noqa: PLC0415

        indexed = Q(SearchVectorExact(phrase_vector(), TsQuery(self.pairs)))
        if self.exact:
            return indexed
        # The positions are checked on the candidates only, as a filter: written as the
        # function behind @@, so that the planner does not combine both indexes (their
        # recheck would then recompute the pairs of every candidate).
        checked = Func(F("vector"), TsQuery(self.text), function="ts_match_vq")
        return indexed & Q(ExpressionWrapper(checked, output_field=BooleanField()))


_LEXEME = r"'((?:[^']|'')+)'"
_CHAIN = re.compile(rf"{_LEXEME}(?: <(?:-|\d+)> {_LEXEME})*")
_CHAIN_LINK = re.compile(rf"(?:^| <(-|\d+)> ){_LEXEME}")
MAX_PAIR_BYTES = 999  # as the phrase index (migration 0003)


def _pair_reading(variant: str) -> tuple[str, bool] | None:
    """A phrase reading (phraseto_tsquery text) for the phrase index, and whether it is
    exact there; None when it has another shape (left to the full vector alone)."""
    if " <" not in variant:  # words only: the index has them all
        return variant, True
    if not _CHAIN.fullmatch(variant):
        return None
    links = [(gap, word.replace("''", "'")) for gap, word in _CHAIN_LINK.findall(variant)]
    if len(links) == 1:
        return variant, True
    pieces, exact = [], len(links) == 2
    for (_gap, first), (gap, second) in zip(links, links[1:], strict=False):
        if gap == "-" and len(first.encode()) + len(second.encode()) <= MAX_PAIR_BYTES:
            pair = f"{first} {second}".replace("'", "''")
            pieces.append(f"'{pair}'")
        else:
            exact = False
            for word in (first, second):
                pieces.append("'" + word.replace("'", "''") + "'")
    return " & ".join(dict.fromkeys(pieces)), exact


def compile_query(text: str) -> CompiledQuery | None:
    """The query (see CompiledQuery), or None when it has no word to look for.

    Every word or phrase is read by each configuration (all in one round trip) and its
    readings are OR-ed. A word that one language drops as a stop word ("and", "les") is
    left out altogether, as websearch_to_tsquery would leave it out in that language.
    """
    groups = parse_web_query(text or "")
    terms = list(dict.fromkeys((term.text, term.phrase) for group in groups for term in group))
    if not terms:
        return None
    columns, params = [], []
    for term_text, phrase in terms:
        function = "phraseto_tsquery" if phrase else "plainto_tsquery"
        for config in QUERY_CONFIGS:
            columns.append(f"{function}('{config}', %s)::text")
            params.append(term_text)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        row = cursor.fetchone()
    width = len(QUERY_CONFIGS)
    readings, pair_readings = {}, {}
    has_phrase = False
    for index, term in enumerate(terms):
        variants = row[index * width : (index + 1) * width]
        if not all(variants):
            continue
        variants = list(dict.fromkeys(variants))
        readings[term] = "( " + " | ".join(f"( {v} )" for v in variants) + " )"
        paired = [_pair_reading(v) for v in variants]
        if any(p is None for p in paired):
            pair_readings[term] = None
            continue
        has_phrase = has_phrase or any(" <" in v for v in variants)
        pair_readings[term] = (
            "( " + " | ".join(f"( {p[0]} )" for p in paired) + " )",
            all(p[1] for p in paired),
        )

    def assemble(reading_of) -> str | None:
        pieces = []
        for group in groups:
            keys = [((term.text, term.phrase), term.negated) for term in group]
            wanted = [reading_of(key) for key, negated in keys if not negated and key in readings]
            excluded = [reading_of(key) for key, negated in keys if negated and key in readings]
            if not wanted:
                continue
            piece = " & ".join(wanted)
            if excluded:
                piece += " & !( " + " | ".join(excluded) + " )"
            pieces.append(f"( {piece} )")
        return " | ".join(pieces) or None

    full = assemble(readings.__getitem__)
    if full is None:
        return None
    negated = {(t.text, t.phrase) for group in groups for t in group if t.negated}
    usable = has_phrase and all(
        pair_readings.get(key) is not None
        and (key not in negated or pair_readings[key][1])  # an excluded phrase must be exact
        for key in readings
    )
    if not usable:
        return CompiledQuery(full)
    pairs = assemble(lambda key: pair_readings[key][0])
    exact = all(pair_readings[key][1] for key in readings)
    return CompiledQuery(full, pairs, exact)


def compile_web_query(text: str) -> str | None:
    """The query as tsquery text over the full vector, or None (see compile_query)."""
    compiled = compile_query(text)
    return None if compiled is None else compiled.text


class TsQuery(SearchQuery):
    """A tsquery given as text (from compile_web_query), cast without re-parsing words."""

    def __init__(self, text: str):
        super().__init__(text, search_type="raw")

    def as_sql(self, compiler, connection, function=None, template=None):
        return super().as_sql(compiler, connection, template="(%(expressions)s)::tsquery")


# ---------------------------------------------------------------------------------------
# Fields that never let bad input reach the database.


class QueryField(forms.CharField):
    """Free text, cut to MAX_QUERY_LENGTH characters rather than refused."""

    def to_python(self, value):
        return super().to_python(value)[:MAX_QUERY_LENGTH].strip()


class SlugMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if not isinstance(item, str) or not _SLUG.fullmatch(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:60]},
                )
        return super()._check_values(value)


class YearField(forms.IntegerField):
    default_error_messages = {"invalid": _("Enter a year, such as 2016.")}
    max_year = 9999

    def __init__(self, **kwargs):
        super().__init__(min_value=1000, max_value=self.max_year, **kwargs)


class DecadeField(YearField):
    default_error_messages = {"invalid": _("Enter a decade, such as 1990.")}
    max_year = 9980  # its last day must still be a date

    def validate(self, value):
        super().validate(value)
        if value is not None and value % 10:
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class SlugFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SlugMultipleChoiceField


class YearFilter(django_filters.Filter):
    field_class = YearField


class DecadeFilter(django_filters.Filter):
    field_class = DecadeField


class QueryFilter(django_filters.Filter):
    field_class = QueryField


# ---------------------------------------------------------------------------------------


class LibraryFilterSet(django_filters.FilterSet):
    """Filters of the library search page, over the search documents of visible
    (published) publications only.

    filter_queryset(..., exclude=...) leaves some filters out: each facet counts its values
    under the query and all the *other* filters, so a visitor can widen a choice.
    """

    q = QueryFilter(label=_("Search the library"), method="filter_condition")
    type = SlugFilter(
        label=_("Type"),
        queryset=PublicationType.objects.all(),
        to_field_name="slug",
        method="filter_condition",
    )
    language = django_filters.MultipleChoiceFilter(
        label=_("Language"), choices=SPOKEN_LANGUAGES, method="filter_condition"
    )
    country = django_filters.MultipleChoiceFilter(
        label=_("Country"), choices=lambda: list(countries), method="filter_condition"
    )
    theme = SlugFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        method="filter_condition",
    )
    decade = DecadeFilter(label=_("Decade"), method="filter_condition")
    year = YearFilter(label=_("Year"), method="filter_condition")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SortOrder.choices, method="filter_sort"
    )

    FACETS = ("type", "language", "country", "theme", "decade", "year")

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = SearchDocument.objects.visible()
        super().__init__(data, queryset, **kwargs)

    def filter_queryset(self, queryset, exclude=()):
        for name, value in self.form.cleaned_data.items():
            if name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def value(self, name, default=None):
        """The cleaned value of a filter; default when absent or invalid."""
        self.errors  # noqa: B018 - validates the form once
        value = self.form.cleaned_data.get(name)
        empty = value is None or (isinstance(value, Sized) and len(value) == 0)
        return default if empty else value

    def active_conditions(self, names=FACETS) -> dict[str, Q]:
        """The WHERE condition of each of these filters that is set and valid."""
        conditions = {}
        for name in names:
            value = self.value(name)
            if value is not None and (condition := self.condition(name, value)) is not None:
                conditions[name] = condition
        return conditions

    @cached_property
    def compiled_query(self) -> CompiledQuery | None:
        return compile_query(self.value("q", ""))

    @property
    def search_query(self) -> str | None:
        """The query as tsquery text, or None when there is no word to look for."""
        return None if self.compiled_query is None else self.compiled_query.text

    def condition(self, name: str, value) -> Q | None:
        """One filter as a condition on search documents; the filters and facets share it."""
        if name == "q":
            query = self.compiled_query
            return None if query is None else query.condition()
        if name == "type":
            return Q(type_id__in=[item.pk for item in value])
        if name == "language":
            return Q(languages__overlap=list(value))
        if name == "country":
            return Q(countries__overlap=list(value))
        if name == "theme":
            return Q(themes__overlap=[item.pk for item in value])
        if name == "decade":
            return Q(
                publication_date__gte=datetime.date(value, 1, 1),
                publication_date__lt=datetime.date(value + 10, 1, 1),
            )
        if name == "year":
            return Q(publication_date__year=value)
        raise ValueError(f"No condition for the filter {name!r}.")

    def filter_condition(self, queryset, name, value):
        """The method of every filter but sort: the queryset narrowed by condition()."""
        if not value:
            return queryset
        condition = self.condition(name, value)
        return queryset if condition is None else queryset.filter(condition)

    def filter_sort(self, queryset, name, value):
        return queryset  # applied by the selector, which knows about relevance
