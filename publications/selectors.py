"""Reads of the library: the search page's results, facets, snippets and suggestion.

The number of SQL queries is fixed whatever the size of the library or of the page:

1. the query compiled to tsquery text (only when there is a query);
2. one statement for all the facets (type, language, theme, country, year; decades are
   summed from years): the matching publications are scanned once, each facet counting
   under the query and all the *other* filters. The type facet also gives the total, so
   pagination needs no COUNT of its own;
3. the ids of the current page, ranked (ts_rank on the stored vector) or sorted;
4. those rows with type, languages, authors, themes and the highlighted title, summary,
   authors and themes (ts_headline runs on the page's rows only);
5. only when a row of the page matched nowhere but in its PDF text: a highlighted passage
   from the first 20,000 characters of each of those rows' language versions;
6. only when nothing matches: the "did you mean" words (trigram similarity), then whether
   the corrected query finds anything under the same filters.

Validating the type and theme filters costs one query each, when they are given.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchConfig, SearchHeadline, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Lower, Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info, gettext
from django_countries import countries as country_names

from collective_brain.search import SEARCH_CONFIGS, SIMPLE_CONFIG
from publications.cache import cached, library_version
from publications.filters import (
    LibraryFilterSet,
    SortOrder,
    TsQuery,
    compile_web_query,
    parse_web_query,
    positive_words,
)
from publications.models import (
    Authorship,
    LanguageVersion,
    Publication,
    PublicationType,
    SearchTerm,
    Theme,
)

PAGE_SIZE = 20
SNIPPET_TEXT_CHARS = 20_000  # of a PDF's text, for its snippet: keeps ts_headline fast
SUGGESTION_MIN_LENGTH = 3
FACET_VISIBLE_OPTIONS = 8
# ts_headline marks matches with these; the snippet is escaped, then they become <mark>.
MARK_START = "\x02cb-mark\x02"
MARK_STOP = "\x03cb-mark\x03"


def highlight(text: str | None) -> SafeString | None:
    """ts_headline output as safe HTML: everything escaped but our own <mark> tags."""
    if not text:
        return None
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    return mark_safe(html.replace("\x02", "").replace("\x03", ""))  # escaped; <mark> added


def has_mark(text: str | None) -> bool:
    return bool(text) and MARK_START in text


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def decade_label(decade) -> str:
    # Translators: a decade, such as "1990s".
    return gettext("%(decade)ss") % {"decade": decade}


def _normalized(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


# ---------------------------------------------------------------------------------------
# Result objects


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]
    multiple: bool = True

    @property
    def selected_options(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]

    @property
    def visible_options(self) -> list[FacetOption]:
        """The first options, and every selected one; the rest go behind "More"."""
        return [
            option
            for index, option in enumerate(self.options)
            if index < FACET_VISIBLE_OPTIONS or option.selected
        ]

    @property
    def more_options(self) -> list[FacetOption]:
        return [
            option
            for index, option in enumerate(self.options)
            if index >= FACET_VISIBLE_OPTIONS and not option.selected
        ]


@dataclass
class LibrarySearch:
    filterset: LibraryFilterSet
    query: str
    searching: bool
    sort: str
    page: Page
    facets: list[Facet]
    suggestion: str | None = None
    language: str = "en"
    sort_choices: list[tuple[str, str]] = field(default_factory=list)
    # Identifies this search and the library's version: a key for template fragment caches.
    cache_key: str = ""

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def form(self):
        return self.filterset.form

    @property
    def errors(self):
        return self.filterset.form.errors

    @property
    def has_filters(self) -> bool:
        return any(facet.selected_options for facet in self.facets)


class _Hits:
    """The ranked rows of a search, counted in advance and fetched one page at a time."""

    def __init__(self, total: int, fetch):
        self.total = total
        self.fetch = fetch

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Only slices of search results can be taken.")
        start, stop = index.start or 0, min(index.stop or self.total, self.total)
        return self.fetch(start, stop) if stop > start else []


# ---------------------------------------------------------------------------------------
# SQL pieces


def _localized(field_name: str, language: str):
    """A translated column in the language, English when empty; and its search config."""
    english = Coalesce(F(f"{field_name}_en"), Value(""), output_field=TextField())
    if language == "en" or language not in SEARCH_CONFIGS:
        return english, Value(SEARCH_CONFIGS["en"])
    column = f"{field_name}_{language}"
    present = Q(**{f"{column}__gt": ""})
    text = Case(When(present, then=F(column)), default=english, output_field=TextField())
    config = Case(
        When(present, then=Value(SEARCH_CONFIGS[language])),
        default=Value(SEARCH_CONFIGS["en"]),
        output_field=TextField(),
    )
    return text, config


def _headline(expression, query, config, **options):
    return SearchHeadline(
        expression,
        query,
        config=SearchConfig(config),
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        **options,
    )


def _version_config():
    return Case(
        *[When(language=code, then=Value(config)) for code, config in SEARCH_CONFIGS.items()],
        default=Value(SIMPLE_CONFIG),
        output_field=TextField(),
    )


def _array_to_string(expression):
    return Func(expression, Value("; "), function="array_to_string", output_field=TextField())


def _ordering(sort: str, language: str):
    if sort == SortOrder.RELEVANCE:
        return [F("rank").desc(), F("publication_date").desc(), "slug"]
    if sort == SortOrder.OLDEST:
        return ["publication_date", "slug"]
    if sort == SortOrder.TITLE:
        title, _config = _localized("title", language)
        return [Lower(Func(title, function="unaccent", output_field=TextField())), "slug"]
    return ["-publication_date", "slug"]


# ---------------------------------------------------------------------------------------
# Facets


def _with_selected(options, selected, label_of) -> list[FacetOption]:
    present = {option.value for option in options}
    for value in selected:
        if value not in present:
            options.append(FacetOption(value, label_of(value), 0))
    for option in options:
        option.selected = option.value in selected
    return options


def _country_name(code: str) -> str:
    return str(country_names.name(code)) or code


def _facet_counts(filterset, base, language: str) -> dict[str, list[tuple]]:
    """Every facet's counts in one statement over the publications matching the query.

    Disjunctive faceting: each row of the matching set carries one boolean per selected
    filter (the filter's own condition), and each facet's GROUP BY keeps the rows passing
    all the *other* filters. One scan of the matches serves the five facets.
    """
    conditions = filterset.active_conditions()
    flags = {
        f"f_{name}": ExpressionWrapper(condition, output_field=BooleanField())
        for name, condition in conditions.items()
    }
    matching = (
        filterset.filter_queryset(base, exclude=LibraryFilterSet.FACETS)
        .order_by()
        .annotate(**flags)
        .values("id", "type_id", "countries", "publication_date", *flags)
    )
    inner, params = matching.query.sql_with_params()

    def passing(*facets):
        kept = [f"m.f_{name}" for name in conditions if name not in facets]
        return " AND ".join(kept) or "TRUE"

    quote = connection.ops.quote_name
    types = quote(PublicationType._meta.db_table)
    themes = quote(Theme._meta.db_table)
    links = quote(Publication.themes.through._meta.db_table)
    versions = quote(LanguageVersion._meta.db_table)
    local_name = quote(f"name_{language if language in SEARCH_CONFIGS else 'en'}")
    sql = f"""
        WITH m AS MATERIALIZED ({inner})
        SELECT 'type', t.slug, t.{local_name}, t.name_en, t."order", COUNT(*)
          FROM m JOIN {types} t ON t.id = m.type_id
         WHERE {passing("type")} GROUP BY t.id
        UNION ALL
        SELECT 'theme', h.slug, h.{local_name}, h.name_en, h."order", COUNT(*)
          FROM m JOIN {links} l ON l.publication_id = m.id JOIN {themes} h ON h.id = l.theme_id
         WHERE {passing("theme")} GROUP BY h.id
        UNION ALL
        SELECT 'language', v.language, NULL, NULL, NULL, COUNT(*)
          FROM m JOIN {versions} v ON v.publication_id = m.id
         WHERE {passing("language")} GROUP BY v.language
        UNION ALL
        SELECT 'country', c.code, NULL, NULL, NULL, COUNT(*)
          FROM m CROSS JOIN LATERAL unnest(m.countries) AS c(code)
         WHERE {passing("country")} GROUP BY c.code
        UNION ALL
        SELECT 'year', EXTRACT(YEAR FROM m.publication_date)::int::text, NULL, NULL, NULL,
               COUNT(*)
          FROM m WHERE {passing("year", "decade")} GROUP BY 2
    """
    rows: dict[str, list[tuple]] = {name: [] for name in ("type", "theme", "language", "country")}
    rows["year"] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, value, local, english, order, count in cursor.fetchall():
            rows[facet].append((value, local or english or value, order or 0, count))
    return rows


def _named_facet(filterset, name, rows, *, by_order=False) -> Facet:
    """Type or theme: labels came with the counts; chosen ones carry their own name."""
    if by_order:
        rows = sorted(rows, key=lambda row: (row[2], row[0]))
    else:
        rows = sorted(rows, key=lambda row: (-row[3], row[1]))
    options = [FacetOption(value, label, count) for value, label, _order, count in rows]
    chosen = {item.slug: item for item in filterset.value(name, [])}
    options = _with_selected(options, chosen, lambda slug: chosen[slug].name)
    return Facet(name, str(filterset.filters[name].label), options)


def _coded_facet(filterset, name, rows, label_of) -> Facet:
    """Language or country: labels from the code, in the visitor's language."""
    options = [FacetOption(value, label_of(value), count) for value, _l, _o, count in rows]
    options.sort(key=lambda option: (-option.count, option.label))
    options = _with_selected(options, set(filterset.value(name, [])), label_of)
    return Facet(name, str(filterset.filters[name].label), options)


def _date_facets(filterset, rows) -> tuple[Facet, Facet]:
    """Decades summed from the years; years listed within the chosen decade (or year's)."""
    years = {int(value): count for value, _label, _order, count in rows}
    decades: dict[int, int] = {}
    for year, count in years.items():
        decades[year // 10 * 10] = decades.get(year // 10 * 10, 0) + count
    chosen_decade = filterset.value("decade")
    chosen_year = filterset.value("year")
    focus = chosen_decade if chosen_decade is not None else chosen_year
    if focus is not None:
        focus = focus // 10 * 10
        years = {year: count for year, count in years.items() if focus <= year < focus + 10}
    decade_options = [
        FacetOption(str(decade), decade_label(decade), count)
        for decade, count in sorted(decades.items(), reverse=True)
    ]
    year_options = [
        FacetOption(str(year), str(year), count)
        for year, count in sorted(years.items(), reverse=True)
    ]
    decade_selected = set() if chosen_decade is None else {str(chosen_decade)}
    year_selected = set() if chosen_year is None else {str(chosen_year)}
    decade_options = _with_selected(decade_options, decade_selected, decade_label)
    year_options = _with_selected(year_options, year_selected, str)
    return (
        Facet("decade", str(filterset.filters["decade"].label), decade_options, multiple=False),
        Facet("year", str(filterset.filters["year"].label), year_options, multiple=False),
    )


def _facets(filterset, base, language) -> tuple[list[Facet], int]:
    """The facets, and the number of results (the type facet's selected or total count)."""
    rows = _facet_counts(filterset, base, language)
    type_facet = _named_facet(filterset, "type", rows["type"], by_order=True)
    counted = type_facet.selected_options or type_facet.options
    total = sum(option.count for option in counted)
    decade_facet, year_facet = _date_facets(filterset, rows["year"])
    facets = [
        type_facet,
        _coded_facet(filterset, "language", rows["language"], language_name),
        _named_facet(filterset, "theme", rows["theme"]),
        _coded_facet(filterset, "country", rows["country"], _country_name),
        decade_facet,
        year_facet,
    ]
    return facets, total


# ---------------------------------------------------------------------------------------
# The page of results


def _page_rows(ids, query: str | None, language: str, words: list[str]) -> list[Publication]:
    """The page's publications, in the given order, with what the result list shows."""
    title, title_config = _localized("title", language)
    summary, summary_config = _localized("summary", language)
    theme_label, _theme_config = _localized("name", language)
    authors = ArraySubquery(
        Authorship.objects.filter(publication=OuterRef("pk"))
        .order_by("order", "pk")
        .values("author__name")
    )
    themes = ArraySubquery(
        Theme.objects.filter(publications=OuterRef("pk"))
        .order_by("order", "sdg_number", "slug")
        .annotate(label=theme_label)
        .values("label")
    )
    languages = ArraySubquery(
        LanguageVersion.objects.filter(publication=OuterRef("pk"))
        .order_by("language")
        .values("language")
    )
    rows = (
        Publication.objects.filter(pk__in=ids)
        .select_related("type")
        .defer("search_vector")
        .annotate(language_codes=languages, author_names=authors, theme_names=themes)
    )
    if query:
        tsquery = TsQuery(query)
        simple = Value(SIMPLE_CONFIG)
        rows = rows.annotate(
            hl_title=_headline(title, tsquery, title_config, highlight_all=True),
            hl_summary=_headline(summary, tsquery, summary_config, max_words=40, min_words=20),
            hl_authors=_headline(
                _array_to_string(F("author_names")), tsquery, simple, highlight_all=True
            ),
            hl_themes=_headline(
                _array_to_string(F("theme_names")), tsquery, simple, highlight_all=True
            ),
            **{
                f"hl_other_{code}": _other_language_headline(code, tsquery)
                for code in _other_languages(language)
            },
        )
    by_id = {row.pk: row for row in rows}
    publications = [by_id[pk] for pk in ids if pk in by_id]
    normalized_words = {_normalized(word) for word in words}
    for publication in publications:
        _decorate(publication, bool(query), normalized_words, language)
    if query:
        _attach_text_snippets(
            [item for item in publications if not item.matched_outside_text], query, language
        )
    return publications


def _other_languages(language: str) -> list[str]:
    """The other translations of titles and summaries, English first."""
    return [code for code in SEARCH_CONFIGS if code != language]


def _other_language_headline(code: str, query):
    """A passage of another language's title and summary, when the row has one."""
    title, summary = f"title_{code}", f"summary_{code}"
    text = Concat(
        Coalesce(F(title), Value(""), output_field=TextField()),
        Value(" — "),
        Coalesce(F(summary), Value(""), output_field=TextField()),
        output_field=TextField(),
    )
    return Case(
        When(
            Q(**{f"{title}__gt": ""}) | Q(**{f"{summary}__gt": ""}),
            then=_headline(text, query, Value(SEARCH_CONFIGS[code]), max_words=30, min_words=12),
        ),
        default=Value(None),
        output_field=TextField(),
    )


def _decorate(publication: Publication, searching: bool, words: set[str], language: str) -> None:
    publication.language_items = [
        {"code": code, "name": language_name(code)} for code in publication.language_codes
    ]
    publication.countries_display = []
    for code in publication.countries:
        name = _country_name(code)
        matched = searching and bool(set(re.findall(r"\w+", _normalized(name))) & words)
        publication.countries_display.append({"code": code, "name": name, "matched": matched})
    publication.title_html = publication.summary_html = None
    publication.authors_html = publication.themes_html = None
    publication.snippet_html = None
    publication.snippet_label = None
    publication.matched_outside_text = False
    if not searching:
        return
    marked = {
        name: getattr(publication, f"hl_{name}")
        for name in ("title", "summary", "authors", "themes")
    }
    publication.title_html = highlight(marked["title"]) if has_mark(marked["title"]) else None
    publication.summary_html = highlight(marked["summary"])
    publication.authors_html = (
        highlight(marked["authors"]) if has_mark(marked["authors"]) else None
    )
    publication.themes_html = highlight(marked["themes"]) if has_mark(marked["themes"]) else None
    publication.matched_outside_text = any(has_mark(text) for text in marked.values()) or any(
        country["matched"] for country in publication.countries_display
    )
    if publication.matched_outside_text:
        return
    # Found through another language's title or summary: show that passage.
    shown_english = language != "en" and not getattr(publication, f"summary_{language}", "")
    for code in _other_languages(language):
        passage = getattr(publication, f"hl_other_{code}", None)
        if has_mark(passage) and not (code == "en" and shown_english):
            publication.snippet_html = highlight(passage)
            publication.snippet_label = gettext("In the %(language)s version:") % {
                "language": language_name(code)
            }
            publication.matched_outside_text = True
            return


def _attach_text_snippets(publications: list[Publication], query: str, language: str) -> None:
    """For rows found only through their PDF text: a highlighted passage of that text,
    from the version in the visitor's language when it matches, else English, else any."""
    if not publications:
        return
    versions = (
        LanguageVersion.objects.filter(publication__in=[item.pk for item in publications])
        .exclude(text="")
        .annotate(
            snippet=_headline(
                Substr("text", 1, SNIPPET_TEXT_CHARS),
                TsQuery(query),
                _version_config(),
                max_fragments=2,
                max_words=18,
                min_words=8,
                fragment_delimiter=" … ",
            )
        )
        .order_by()
        .values_list("publication_id", "language", "snippet")
    )
    preference = {language: 0, "en": 1}
    best: dict[int, tuple[int, str, str]] = {}
    for publication_id, code, snippet in versions:
        if not has_mark(snippet):
            continue
        rank = preference.get(code, 2)
        if publication_id not in best or rank < best[publication_id][0]:
            best[publication_id] = (rank, code, snippet)
    for publication in publications:
        if publication.pk in best:
            _rank, code, snippet = best[publication.pk]
            publication.snippet_html = highlight(snippet)
            publication.snippet_label = gettext("In the full text (%(language)s):") % {
                "language": language_name(code)
            }


# ---------------------------------------------------------------------------------------
# "Did you mean"


def _suggest(filterset, base, text: str) -> str | None:
    """A spelling of the query whose words are in the library, if it then finds something."""
    words = sorted(
        {
            word.lower()
            for word in re.findall(r"\w+", text)
            if len(word) >= SUGGESTION_MIN_LENGTH and not word.isdigit() and word.lower() != "or"
        }
    )
    if not words:
        return None
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT w, (SELECT t.word FROM {table} t WHERE t.word %% w "
            "ORDER BY similarity(t.word, w) DESC, t.frequency DESC, t.word LIMIT 1) "
            "FROM unnest(%s::text[]) AS w",
            [words],
        )
        replacements = {word: best for word, best in cursor.fetchall() if best and best != word}
    if not replacements:
        return None
    corrected = re.sub(
        r"\w+", lambda match: replacements.get(match.group(0).lower(), match.group(0)), text
    )
    tsquery = compile_web_query(corrected)
    if tsquery is None:
        return None
    matching = filterset.filter_queryset(base, exclude={"q"}).filter(
        search_vector=TsQuery(tsquery)
    )
    return corrected if matching.exists() else None


# ---------------------------------------------------------------------------------------


def _cache_key(filterset, language: str, sort: str) -> str:
    """The search's state (valid filters only) and the library's version, as a cache key."""
    form = filterset.form
    state = repr(
        sorted(
            (name, sorted(form.data.getlist(name)))
            for name in form.fields
            if name != "page" and name in form.data and name not in form.errors
        )
    )
    digest = hashlib.sha256(f"{language}|{sort}|{state}".encode()).hexdigest()
    return f"library-search:{library_version()}:{digest}"


def _page_number(value) -> int:
    try:
        return max(1, int(str(value)[:12]))
    except (TypeError, ValueError):
        return 1


def library_search(params, language: str) -> LibrarySearch:
    """Search the published library with the page's GET parameters (a QueryDict)."""
    filterset = LibraryFilterSet(params)
    filterset.errors  # noqa: B018 - validate once; invalid filters are left out
    base = filterset.queryset
    text = filterset.value("q", "")
    query = filterset.search_query if text else None
    searching = query is not None

    sort = filterset.value("sort", "")
    if not sort or (sort == SortOrder.RELEVANCE and not searching):
        sort = SortOrder.RELEVANCE if searching else SortOrder.NEWEST

    state = _cache_key(filterset, language, sort)
    facets, total = cached(state, lambda: _facets(filterset, base, language))

    words = positive_words(parse_web_query(text)) if searching else []

    def fetch(start: int, stop: int):
        def rows():
            results = filterset.qs
            if sort == SortOrder.RELEVANCE:
                results = results.annotate(rank=SearchRank(F("search_vector"), TsQuery(query)))
            ordered = results.order_by(*_ordering(sort, language))
            ids = list(ordered.values_list("pk", flat=True)[start:stop])
            return _page_rows(ids, query, language, words) if ids else []

        return cached(f"{state}:{start}:{stop}", rows)

    paginator = Paginator(_Hits(total, fetch), PAGE_SIZE)
    page = paginator.get_page(_page_number(params.get("page", 1)))

    suggestion = None
    if total == 0 and text:
        suggestion = cached(f"{state}:suggestion", lambda: _suggest(filterset, base, text))

    sort_choices = [
        (value, label)
        for value, label in SortOrder.choices
        if searching or value != SortOrder.RELEVANCE
    ]
    return LibrarySearch(
        filterset=filterset,
        query=text,
        searching=searching,
        sort=sort,
        page=page,
        facets=facets,
        suggestion=suggestion,
        language=language,
        sort_choices=sort_choices,
        cache_key=state,
    )
