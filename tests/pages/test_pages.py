import pytest
from django.utils import translation

from pages.models import Page


@pytest.fixture
def about_page(db):
    return Page.objects.create(
        slug="sse",
        title_en="Social and Solidarity Economy",
        title_fr="Économie sociale et solidaire",
        summary_en="What the SSE is.",
        body_en="The SSE is **solidarity**.\n\n<script>alert('x')</script>\n\n[bad](javascript:alert(1))",
        body_fr="L’ESS est **solidaire**.",
        order=1,
    )


def test_about_list_shows_published_pages(client, about_page):
    Page.objects.create(slug="draft", title_en="Draft page", body_en="x", is_published=False)

    html = client.get("/en/about/").content.decode()

    assert "Social and Solidarity Economy" in html
    assert "Draft page" not in html


def test_unpublished_page_is_not_found(client, db):
    Page.objects.create(slug="draft", title_en="Draft page", body_en="x", is_published=False)

    assert client.get("/en/about/draft/").status_code == 404


def test_page_body_is_rendered_markdown_without_scripts(client, about_page):
    html = client.get("/en/about/sse/").content.decode()

    assert "<strong>solidarity</strong>" in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html


def test_page_is_shown_in_the_readers_language(client, about_page):
    html = client.get("/fr/about/sse/").content.decode()

    assert "Économie sociale et solidaire" in html
    assert "<strong>solidaire</strong>" in html


def test_missing_translation_falls_back_to_english(client, about_page):
    html = client.get("/it/about/sse/").content.decode()

    assert "Social and Solidarity Economy" in html


def test_search_finds_pages_in_the_readers_language_without_accents(db, about_page):
    with translation.override("fr"):
        assert list(Page.objects.search("economie solidaire")) == [about_page]
    with translation.override("en"):
        assert list(Page.objects.search("solidarity")) == [about_page]
        assert list(Page.objects.search("solidarity -economy")) == []
