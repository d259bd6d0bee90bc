"""Full-text search pieces shared by the sections of the site."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.utils.translation import get_language

# Accent-insensitive PostgreSQL text-search configuration per language
# (created by collective_brain/migrations/0002_search_configurations.py).
SEARCH_CONFIGS = {
    "en": "cb_english",
    "fr": "cb_french",
    "es": "cb_spanish",
    "pt": "cb_portuguese",
    "it": "cb_italian",
}
SIMPLE_CONFIG = "cb_simple"


def search_config(language: str | None = None) -> str:
    return SEARCH_CONFIGS.get(language or get_language() or "en", SIMPLE_CONFIG)


def web_query(text: str, language: str | None = None) -> SearchQuery:
    """A query in web-search syntax ("phrase", -word, or) with the language's stemming."""
    return SearchQuery(text, search_type="websearch", config=search_config(language))


def search_translated(queryset, text: str, weighted_fields: dict[str, str]):
    """Rank rows of a small translated table by the current language's columns and English.

    weighted_fields maps a translated field name to its weight ("A" to "D").
    """
    language = get_language() or "en"
    config = search_config(language)
    vector = None
    for field, weight in weighted_fields.items():
        columns = {f"{field}_{language}", f"{field}_en"}
        for column in sorted(columns):
            part = SearchVector(column, weight=weight, config=config)
            vector = part if vector is None else vector + part
    query = web_query(text, language)
    return (
        queryset.annotate(search_vector=vector, search_rank=SearchRank(vector, query))
        .filter(search_vector=query)
        .order_by("-search_rank")
    )


def multilingual_query(text: str) -> SearchQuery:
    """The query in every language's configuration (and plain words), joined by OR.

    Documents hold text in several languages, each stemmed with its own configuration; a
    query stemmed every way finds "coopératives" from "cooperatives" in any of them.
    """
    query = SearchQuery(text, search_type="websearch", config=SIMPLE_CONFIG)
    for config in SEARCH_CONFIGS.values():
        query = query | SearchQuery(text, search_type="websearch", config=config)
    return query
