"""Reads of the library: the search page's results, facets, snippets and suggestion.

Matching, filtering, counting and ranking read the narrow search documents (one small row
per publication, see SearchDocument), never the wide publication rows; only the page's 20
publications are loaded in full. The number of SQL queries is fixed whatever the size of
the library or of the page:

1. the query compiled to tsquery text (only when there is a query);
2. with a query, before the first uncached statement: SET LOCAL enable_seqscan = off (the
   index bitmap instead of opening every full vector, see _IndexScans);
3. one statement for all the facets (type, language, theme, country, year; decades are
   summed from years): the matching documents are scanned once, each facet counting
   under the query and all the *other* filters. The type facet also gives the total, so
   pagination needs no COUNT of its own. When the query matches more than half of the
   documents, the statement counts the ones it misses instead, and
4. the counts without the query (the same for every query under these filters, cached
   apart) give the rest by subtraction;
5. the ids of the current page, ranked (ts_rank on the titles, summaries and metadata; on
   the titles alone beyond RANK_ALL_LIMIT matches) or sorted;
6. those rows with type, languages, authors, themes and the highlighted title, summary,
   authors and themes (ts_headline runs on the page's rows only);
7. only when a row of the page matched nowhere but in its PDF text: a highlighted passage
   from the first 20,000 characters of each of those rows' language versions;
8. only when nothing matches: the "did you mean" words (trigram similarity), then whether
   the corrected query finds anything under the same filters.

Validating the type and theme filters costs one query each, when they are given. Every
result is cached until the library changes (publications/cache.py).
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchConfig, SearchHeadline, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
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
from publications.cache import SEARCH_CACHE_SECONDS, cached, library_version
from publications.filters import (
    MAX_QUERY_LENGTH,
    CompiledQuery,
    LibraryFilterSet,
    SortOrder,
    TsQuery,
    compile_query,
    compile_web_query,
    parse_web_query,
    positive_words,
)
from publications.models import (
    Authorship,
    LanguageVersion,
    Publication,
    PublicationType,
    SearchDocument,
    SearchTerm,
    Theme,
)

PAGE_SIZE = 20
# Up to this many matches, relevance reads titles, summaries and metadata (out of line);
# beyond it, the titles kept in each row (see SearchDocument).
RANK_ALL_LIMIT = 5_000
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
    cache_seconds: int = SEARCH_CACHE_SECONDS

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


def _localized(field_name: str, language: str, prefix: str = ""):
    """A translated column in the language, English when empty; and its search config."""
    english = Coalesce(F(f"{prefix}{field_name}_en"), Value(""), output_field=TextField())
    if language == "en" or language not in SEARCH_CONFIGS:
        return english, Value(SEARCH_CONFIGS["en"])
    column = f"{prefix}{field_name}_{language}"
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
        title, _config = _localized("title", language, prefix="publication__")
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


NAME_COLUMNS = [f"name_{code}" for code in SEARCH_CONFIGS]


def _facet_rows(filterset, *, with_query: bool) -> list[tuple]:
    """Every facet's counts in one statement over the narrow search documents.

    Disjunctive faceting: each document carries one boolean per selected filter (the
    filter's own condition), and each facet's GROUP BY keeps the rows passing all the
    *other* filters. One scan of the matches serves the five facets.

    A query that matches more than half of the library is counted the other way round:
    the documents it does *not* match are counted, and the caller subtracts them from the
    counts without the query (the same for every such query, so cached once). Counting a
    few thousand rows instead of a hundred thousand is what keeps a fresh search on a
    common word fast. The first row says which way the counts go.

    Rows: (facet, value, order, names in each language..., count), all language-neutral.
    (Arrays are unnested in the select list: a set-returning projection, several times
    faster than a lateral join that runs one function scan per document.)
    """
    conditions = filterset.active_conditions()
    flags = {
        f"f_{name}": ExpressionWrapper(condition, output_field=BooleanField())
        for name, condition in conditions.items()
    }
    columns = ("publication_id", "type_id", "countries", "themes", "languages")
    visible = SearchDocument.objects.visible().order_by()
    documents = visible.annotate(**flags).values(*columns, "publication_date", *flags)
    documents_sql, documents_params = documents.query.sql_with_params()
    if with_query:
        hits = filterset.filter_queryset(visible, exclude=LibraryFilterSet.FACETS)
        hits_sql, hits_params = hits.values("publication_id").query.sql_with_params()
        matching = filterset.filter_queryset(
            visible.annotate(**flags), exclude=LibraryFilterSet.FACETS
        ).values(*columns, "publication_date", *flags)
        matching_sql, matching_params = matching.query.sql_with_params()
        everything_sql, everything_params = visible.values("pk").query.sql_with_params()
        head = f"""
            WITH hits AS MATERIALIZED ({hits_sql}),
            mode AS MATERIALIZED (
                SELECT (SELECT COUNT(*) FROM hits) * 2
                       > (SELECT COUNT(*) FROM ({everything_sql}) e) AS complement
            ),
            m AS MATERIALIZED (
                SELECT d.* FROM ({documents_sql}) d
                 WHERE (SELECT complement FROM mode)
                   AND NOT EXISTS (SELECT 1 FROM hits h
                                    WHERE h.publication_id = d.publication_id)
                UNION ALL
                SELECT d.* FROM ({matching_sql}) d WHERE NOT (SELECT complement FROM mode)
            )
        """
        params = (*hits_params, *everything_params, *documents_params, *matching_params)
        mode = "(SELECT complement FROM mode)::text"
    else:
        head = f"WITH m AS MATERIALIZED ({documents_sql})"
        params = documents_params
        mode = "'false'"

    def passing(*facets):
        kept = [f"m.f_{name}" for name in conditions if name not in facets]
        return " AND ".join(kept) or "TRUE"

    quote = connection.ops.quote_name
    types = quote(PublicationType._meta.db_table)
    themes = quote(Theme._meta.db_table)
    names = ", ".join(f"t.{quote(column)}" for column in NAME_COLUMNS)
    no_names = ", ".join("NULL" for _column in NAME_COLUMNS)
    sql = f"""
        {head}
        SELECT 'mode', {mode}, NULL, {no_names}, 0
        UNION ALL
        SELECT 'type', t.slug, t."order", {names}, c.n
          FROM (SELECT m.type_id AS id, COUNT(*) AS n FROM m
                 WHERE {passing("type")} GROUP BY m.type_id) c
          JOIN {types} t ON t.id = c.id
        UNION ALL
        SELECT 'theme', t.slug, t."order", {names}, c.n
          FROM (SELECT h.id, COUNT(*) AS n
                  FROM (SELECT unnest(m.themes) AS id FROM m WHERE {passing("theme")}) h
                 GROUP BY h.id) c
          JOIN {themes} t ON t.id = c.id
        UNION ALL
        SELECT 'language', l.code, NULL, {no_names}, COUNT(*)
          FROM (SELECT unnest(m.languages) AS code FROM m WHERE {passing("language")}) l
         GROUP BY l.code
        UNION ALL
        SELECT 'country', c.code, NULL, {no_names}, COUNT(*)
          FROM (SELECT unnest(m.countries) AS code FROM m WHERE {passing("country")}) c
         GROUP BY c.code
        UNION ALL
        SELECT 'year', EXTRACT(YEAR FROM m.publication_date)::int::text, NULL, {no_names},
               COUNT(*)
          FROM m WHERE {passing("year", "decade")} GROUP BY 2
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _facet_counts(filterset, state, language: str, prepare) -> dict[str, list[tuple]]:
    """Each facet's (value, label, order, count) under the query and the other filters.

    prepare() runs before a statement is sent (see _IndexScans).
    """
    searching = filterset.search_query is not None

    def rows_of(with_query: bool):
        prepare()
        return _facet_rows(filterset, with_query=with_query)

    rows = cached(state.key("facets"), lambda: rows_of(searching))
    counts = {(row[0], row[1]): row for row in rows if row[0] != "mode"}
    complement = rows[0][1] == "true"
    if complement:  # rows the query misses: subtract them from the counts without it
        without_query = cached(
            state.key("facets", with_query=False), lambda: rows_of(with_query=False)
        )
        missed = counts
        counts = {}
        for row in without_query:
            if row[0] == "mode":
                continue
            count = row[-1] - (missed[(row[0], row[1])][-1] if (row[0], row[1]) in missed else 0)
            if count > 0:
                counts[(row[0], row[1])] = (*row[:-1], count)
    name_index = 3 + list(SEARCH_CONFIGS).index(language if language in SEARCH_CONFIGS else "en")
    facets: dict[str, list[tuple]] = {
        name: [] for name in ("type", "theme", "language", "country", "year")
    }
    for row in counts.values():
        label = row[name_index] or row[3] or row[1]
        facets[row[0]].append((row[1], label, row[2] or 0, row[-1]))
    return facets


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


def _facets(filterset, state, language, prepare) -> tuple[list[Facet], int]:
    """The facets, and the number of results (the type facet's selected or total count)."""
    rows = _facet_counts(filterset, state, language, prepare)
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


def _suggest(filterset, text: str) -> str | None:
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
    matching = filterset.filter_queryset(filterset.queryset, exclude={"q"}).filter(
        vector=TsQuery(tsquery)
    )
    return corrected if matching.exists() else None


# ---------------------------------------------------------------------------------------


class _SearchState:
    """The search's valid filters and the library's version: the cache keys of a search.

    Facet counts do not depend on the visitor's language or the sort order, so searches
    in every language share them; result pages and rendered fragments do.
    """

    def __init__(self, filterset, language: str, sort: str):
        form = filterset.form
        self.filters = sorted(
            (name, sorted(form.data.getlist(name)))
            for name in form.fields
            if name not in ("page", "sort")
            and name in form.data
            and filterset.value(name) is not None
        )
        self.language = language
        self.sort = sort
        self.version = library_version()

    def key(self, kind: str, *, with_query: bool = True, per_view: bool = False) -> str:
        filters = [item for item in self.filters if with_query or item[0] != "q"]
        view = f"{self.language}|{self.sort}|" if per_view else ""
        digest = hashlib.sha256(f"{view}{filters!r}".encode()).hexdigest()
        return f"library-{kind}:{self.version}:{digest}"


class _IndexScans:
    """Match queries through the GIN index, even when a word is in most documents.

    For a common word the planner prefers reading every row, which means reading every
    full vector from its out-of-line storage (seconds at 100,000 publications); the
    bitmap of the index gives the same rows without opening a vector. Set once, for the
    current transaction only, before the first statement that matches the query.
    """

    def __init__(self, searching: bool):
        self.pending = searching

    def __call__(self):
        if self.pending:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            self.pending = False


def _page_number(value) -> int:
    try:
        return max(1, int(str(value)[:12]))
    except (TypeError, ValueError):
        return 1


def library_search(params, language: str) -> LibrarySearch:
    """Search the published library with the page's GET parameters (a QueryDict)."""
    filterset = LibraryFilterSet(params)
    filterset.errors  # noqa: B018 - validate once; invalid filters are left out
    text = filterset.value("q", "")
    query = filterset.search_query if text else None
    searching = query is not None

    sort = filterset.value("sort", "")
    if not sort or (sort == SortOrder.RELEVANCE and not searching):
        sort = SortOrder.RELEVANCE if searching else SortOrder.NEWEST

    with transaction.atomic(savepoint=False):  # SET LOCAL ends with it
        return _search(filterset, params, text, query, sort, language)


def _search(filterset, params, text, query, sort, language) -> LibrarySearch:
    searching = query is not None
    state = _SearchState(filterset, language, sort)
    index_scans = _IndexScans(searching)

    facets, total = _facets(filterset, state, language, index_scans)

    words = positive_words(parse_web_query(text)) if searching else []

    def fetch(start: int, stop: int):
        def rows():
            index_scans()
            results = filterset.qs
            if sort == SortOrder.RELEVANCE:
                # Titles, summaries and metadata rank a selective search; when a query
                # matches much of the library, the titles alone do (then the newest).
                vector = "rank_vector" if total <= RANK_ALL_LIMIT else "title_vector"
                results = results.annotate(rank=SearchRank(F(vector), TsQuery(query)))
            ordered = results.order_by(*_ordering(sort, language))
            ids = list(ordered.values_list("publication_id", flat=True)[start:stop])
            return _page_rows(ids, query, language, words) if ids else []

        return cached(f"{state.key('page', per_view=True)}:{start}:{stop}", rows)

    paginator = Paginator(_Hits(total, fetch), PAGE_SIZE)
    page = paginator.get_page(_page_number(params.get("page", 1)))

    suggestion = None
    if total == 0 and text:
        suggestion = cached(state.key("suggestion"), lambda: _suggest(filterset, text))

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
        cache_key=state.key("view", per_view=True),
    )


# ---------------------------------------------------------------------------------------
# The site-wide search's publications


def _matches_ranked(query: CompiledQuery, limit: int) -> tuple[int, list[int]]:
    """The number of visible documents matching the query, and the ids of the best ones.

    Matched through the GIN index (see _IndexScans): a count, then the ranking, which
    reads the titles, summaries and metadata when there are at most RANK_ALL_LIMIT
    matches, the titles alone beyond (then the newest), as the library's relevance order
    does. (Two statements: one with a window count keeps every match in a temporary
    store, two to three times slower.)
    """
    tsquery = TsQuery(query.text)
    matching = SearchDocument.objects.visible().filter(query.condition()).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    total = matching.count()
    if not total:
        return 0, []
    vector = "rank_vector" if total <= RANK_ALL_LIMIT else "title_vector"
    ranked = matching.annotate(rank=SearchRank(F(vector), tsquery)).order_by(
        *_ordering(SortOrder.RELEVANCE, "en")
    )
    return total, list(ranked.values_list("publication_id", flat=True)[:limit])


def site_search_publications(text: str, limit: int) -> tuple[int, list[Publication]]:
    """The site-wide search's publications: how many the library search finds for the
    text, and the best `limit` of them in the library's relevance order.

    The same query, matching and ranking as the library search (its "All results" link
    shows the same publications first), over the narrow search documents; only the shown
    publications are loaded. The count and ids are cached until the library changes.
    """
    query = compile_query(text[:MAX_QUERY_LENGTH].strip())
    if query is None:
        return 0, []
    digest = hashlib.sha256(f"{limit}|{query.text}".encode()).hexdigest()
    key = f"library-site-search:{library_version()}:{digest}"

    def compute():
        with transaction.atomic(savepoint=False):  # SET LOCAL ends with it
            return _matches_ranked(query, limit)

    total, ids = cached(key, compute)
    by_id = Publication.objects.published().defer("search_vector").in_bulk(ids)
    return total, [by_id[pk] for pk in ids if pk in by_id]
