"""What keeps the library search fast at scale: the narrow search documents kept by
triggers, counting facets from the other side, ranking large result sets by titles."""

import datetime
import threading
import time

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone

from publications import cache as library_cache
from publications import selectors
from publications.filters import LibraryFilterSet
from publications.models import LanguageVersion, Publication, SearchDocument
from publications.services import search_terms_refresh
from tests.publications.factories import make_publication, make_theme, make_type


@pytest.fixture
def build(db, django_capture_on_commit_callbacks):
    def run(function):
        with django_capture_on_commit_callbacks(execute=True):
            result = function()
        search_terms_refresh()
        return result

    return run


def slugs(client, **params):
    response = client.get("/en/library/", params)
    assert response.status_code == 200
    return [publication.slug for publication in response.context["page_obj"].object_list]


def facet(client, name, **params):
    response = client.get("/en/library/", params)
    facets = {facet.name: facet for facet in response.context["search"].facets}
    return {option.value: option.count for option in facets[name].options}


# ---------------------------------------------------------------------------------------
# Search documents follow every write, in the same transaction (no task needed)


def test_a_publication_unpublished_by_any_write_leaves_the_search_at_once(client, build):
    publication = build(lambda: make_publication(slug="one", title="Cooperatives in Chile"))
    assert slugs(client, q="cooperatives") == ["one"]

    # A bulk update: no signal, no indexing task; only the trigger runs.
    Publication.objects.filter(pk=publication.pk).update(status="draft")
    library_cache.library_changed()

    assert not SearchDocument.objects.visible().exists()
    assert slugs(client, q="cooperatives") == []
    assert slugs(client) == []
    assert facet(client, "type") == {}


def test_themes_and_language_versions_reach_the_search_document(db):
    publication = make_publication(slug="one")  # on-commit indexing never runs here
    theme = make_theme("finance")

    publication.themes.add(theme)
    LanguageVersion.objects.create(
        publication=publication, language="fr", external_url="https://example.org/a.pdf"
    )
    document = SearchDocument.objects.get(pk=publication.pk)
    assert document.themes == [theme.pk]
    assert document.languages == ["fr"]

    publication.themes.remove(theme)
    LanguageVersion.objects.filter(publication=publication).update(language="es")
    document.refresh_from_db()
    assert document.themes == []
    assert document.languages == ["es"]

    publication.delete()
    assert not SearchDocument.objects.exists()


def test_search_document_vectors_follow_the_index(build):
    publication = build(lambda: make_publication(slug="one", title="Microfinance in Peru"))
    document = SearchDocument.objects.get(pk=publication.pk)
    publication.refresh_from_db()
    assert document.vector == publication.search_vector
    assert "microfin" in document.title_vector
    assert "microfin" in document.rank_vector
    assert SearchDocument.objects.filter(vector=selectors.TsQuery("peru")).exists()


# ---------------------------------------------------------------------------------------
# Facets of a query that matches most of the library: counted from the other side


@pytest.fixture
def mostly_cooperatives(build):
    def create():
        study = make_type("country-case-study")
        brief = make_type("policy-brief", name_en="Policy brief")
        finance = make_theme("finance", name_en="Finance")
        rows = [
            ("a", study, ["BR"], [finance], "Cooperatives in Brazil", 2016),
            ("b", brief, ["BR", "AR"], [], "Cooperatives in Argentina", 2019),
            ("c", brief, ["SN"], [finance], "Cooperatives in Senegal", 2008),
            ("d", study, ["PE"], [finance], "Microfinance in Peru", 2016),
        ]
        for slug, kind, countries, themes, title, year in rows:
            make_publication(
                slug=slug,
                title=title,
                summary_en="",
                type=kind,
                countries=countries,
                themes=themes,
                publication_date=datetime.date(year, 6, 1),
            )
        make_publication(slug="draft", title="Cooperatives draft", published=False)

    build(create)


def facet_rows(**params):
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data[key] = value
    filterset = LibraryFilterSet(data)
    filterset.errors  # noqa: B018
    return selectors._facet_rows(filterset, with_query=True)


def test_a_query_matching_most_documents_counts_the_ones_it_misses(mostly_cooperatives):
    assert facet_rows(q="cooperatives")[0][:2] == ("mode", "true")
    assert facet_rows(q="microfinance")[0][:2] == ("mode", "false")


def test_counts_from_the_other_side_equal_direct_counts(client, mostly_cooperatives):
    params = {"q": "cooperatives"}
    assert facet(client, "type", **params) == {"country-case-study": 1, "policy-brief": 2}
    assert facet(client, "country", **params) == {"BR": 2, "AR": 1, "SN": 1}
    assert facet(client, "theme", **params) == {"finance": 2}
    assert facet(client, "decade", **params) == {"2010": 2, "2000": 1}

    # With a filter: its own facet still counts the alternatives, the others narrow.
    params = {"q": "cooperatives", "type": "policy-brief"}
    assert facet(client, "type", **params) == {"country-case-study": 1, "policy-brief": 2}
    assert facet(client, "country", **params) == {"BR": 1, "AR": 1, "SN": 1}
    assert facet(client, "theme", **params) == {"finance": 1}
    assert slugs(client, **params) == ["b", "c"]


# ---------------------------------------------------------------------------------------
# Ranking a large result set: titles first, then the newest


def test_large_result_sets_rank_title_matches_first(client, build, monkeypatch):
    def create():
        make_publication(
            slug="summary-new",
            title="A report",
            summary_en="About microfinance.",
            publication_date=datetime.date(2024, 1, 1),
        )
        make_publication(
            slug="title-old",
            title="Microfinance in Peru",
            publication_date=datetime.date(2001, 1, 1),
        )
        make_publication(
            slug="title-new",
            title="Microfinance in Chile",
            publication_date=datetime.date(2020, 1, 1),
        )

    build(create)
    monkeypatch.setattr(selectors, "RANK_ALL_LIMIT", 1)

    assert slugs(client, q="microfinance") == ["title-new", "title-old", "summary-new"]


# ---------------------------------------------------------------------------------------
# The cache: one computation at a time, long-lived entries, scheduled publications


def test_a_missing_entry_is_computed_once_while_others_wait(db):
    cache.clear()
    key = "library-test:entry"
    assert cache.add(f"{key}:computing", 1)  # another process is computing it

    threading.Timer(0.2, lambda: cache.set(key, "computed elsewhere")).start()
    started = time.monotonic()

    def compute():
        raise AssertionError("computed twice")

    assert library_cache.cached(key, compute) == "computed elsewhere"
    assert time.monotonic() - started < library_cache.LOCK_SECONDS


def test_entries_do_not_expire_while_the_library_is_unchanged():
    assert library_cache.SEARCH_CACHE_SECONDS >= 60 * 60


def test_a_scheduled_publication_moves_the_version_on_when_due(build, client):
    later = timezone.now() + datetime.timedelta(hours=2)
    build(
        lambda: make_publication(
            slug="scheduled", title="Cooperatives later", status="published", published_at=later
        )
    )
    assert cache.get(library_cache.NEXT_CHANGE_KEY) == pytest.approx(later.timestamp())
    version = library_cache.library_version()
    assert slugs(client, q="cooperatives") == []

    # Its time has come: make it so, and let the version notice.
    Publication.objects.filter(slug="scheduled").update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    cache.set(library_cache.NEXT_CHANGE_KEY, time.time() - 1, timeout=None)

    assert library_cache.library_version() == version + 1
    assert slugs(client, q="cooperatives") == ["scheduled"]


# ---------------------------------------------------------------------------------------
# Phrases: matched through the index of side-by-side word pairs, with the same results
# as PostgreSQL's check of positions in the full vector


@pytest.fixture
def phrases(build):
    def create():
        from tests.publications.factories import make_version

        make_publication(slug="title", title="Social enterprises in Kenya", summary_en="")
        make_publication(slug="apart", title="Enterprises with a social purpose", summary_en="")
        make_publication(
            slug="summary", title="Work integration", summary_en="Social enterprise networks."
        )
        text_only = make_publication(slug="text", title="Annual review", summary_en="")
        make_version(text_only, "en", text="We met many social enterprises this year.")
        make_publication(
            slug="solidarity",
            title="Economy of solidarity in Peru",
            summary_en="The social and solidarity economy grows.",
        )
        make_publication(
            slug="reverse", title="Solidarity economy and social finance", summary_en=""
        )

    build(create)


def reference(text):
    """What PostgreSQL finds with the phrase checked on each full vector."""
    query = LibraryFilterSet({"q": text}).search_query
    matching = SearchDocument.objects.visible().filter(vector=selectors.TsQuery(query))
    return sorted(matching.values_list("slug", flat=True))


@pytest.mark.parametrize(
    ("text", "expected", "exact"),
    [
        ('"social enterprises"', ["summary", "text", "title"], True),
        ('"enterprises social"', [], True),
        ('"social enterprises" kenya', ["title"], True),
        ('work -"social enterprises"', [], True),
        ('"social and solidarity economy"', ["solidarity"], False),
        ('"economy of solidarity"', ["solidarity"], False),
        ('"solidarity economy" or "social purpose"', ["apart", "reverse", "solidarity"], True),
    ],
)
def test_phrases_find_what_the_full_vectors_find(client, phrases, text, expected, exact):
    compiled = LibraryFilterSet({"q": text}).compiled_query
    assert compiled.pairs is not None and compiled.exact is exact

    assert sorted(slugs(client, q=text)) == expected == reference(text)


def test_an_excluded_phrase_that_is_not_a_pair_uses_the_full_vectors(client, phrases):
    text = 'solidarity -"economy of solidarity"'
    assert LibraryFilterSet({"q": text}).compiled_query.pairs is None

    assert sorted(slugs(client, q=text)) == ["reverse"] == reference(text)


def test_a_two_word_phrase_is_answered_by_the_index_alone(phrases):
    from django.db import connection, transaction

    filterset = LibraryFilterSet({"q": '"social enterprises"'})
    sql, params = filterset.qs.values("pk").query.sql_with_params()
    assert "publications_phrase_vector(" in sql
    assert '"publications_searchdocument"."vector" @@' not in sql  # no check of positions

    matching = SearchDocument.objects.filter(filterset.condition("q", filterset.value("q")))
    sql, params = matching.values("pk").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_document_phrase_idx" in plan
