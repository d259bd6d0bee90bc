import pytest
from django.utils import translation

from tests.news.factories import make_event, make_news
from tests.publications.factories import make_publication, make_version


@pytest.fixture
def content(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        study = make_publication(slug="finance", title="Social finance and cooperatives")
        make_version(study, "fr", text="La finance solidaire soutient les coopératives locales.")
        make_publication(slug="secret", title="Secret cooperatives draft", published=False)
    make_news(slug="coop-news", title_en="Cooperatives gather online")
    make_news(slug="hidden", title_en="Hidden cooperatives news", published=False)
    make_event(slug="coop-webinar", title_en="Webinar on cooperatives")


def test_one_search_groups_results_by_section(client, content):
    response = client.get("/en/search/", {"q": "cooperatives"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Social finance and cooperatives" in html
    assert "Cooperatives gather online" in html
    assert "Webinar on cooperatives" in html
    assert "Secret cooperatives draft" not in html
    assert "Hidden cooperatives news" not in html
    counts = {group["title"]: group["count"] for group in response.context["groups"]}
    assert counts["Publications"] == 1 and counts["News"] == 1 and counts["Events"] == 1
    assert "/en/library/?q=cooperatives" in html


def test_one_search_finds_words_inside_french_pdfs_without_accents(client, content):
    response = client.get("/fr/search/", {"q": "cooperatives locales"})

    assert "Social finance and cooperatives" in response.content.decode()


@pytest.mark.parametrize("query", ['"', "-", "or", "a" * 500, "<script>alert(1)</script>", "%00"])
def test_hostile_queries_never_fail(client, content, query):
    response = client.get("/en/search/", {"q": query})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt", "it"])
def test_search_page_in_every_language(client, content, language):
    html = client.get(f"/{language}/search/", {"q": "cooperatives"}).content.decode()

    with translation.override(language):
        assert translation.gettext("Publications") in html
