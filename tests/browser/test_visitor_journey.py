"""Issue journey: a visitor on the Spanish home page opens a news item, follows its related
publication, then searches from the header box and reaches results of every kind."""

import re

from playwright.sync_api import expect

from forum import services
from forum.models import Category
from tests.browser.conftest import assert_accessible
from tests.news.factories import make_news
from tests.publications.factories import make_publication, make_version


def test_spanish_visitor_goes_from_news_to_a_publication_and_searches(
    page, site, make_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        study = make_publication(
            slug="finanzas",
            title="Social finance and cooperatives",
            title_es="Finanzas sociales y cooperativas",
        )
        make_version(study, "es", text="Las cooperativas de ahorro financian la economía local.")
    news = make_news(
        slug="nuevo-estudio",
        title_en="A new study on social finance",
        title_es="Un nuevo estudio sobre finanzas sociales",
    )
    news.publications.add(study)
    author = make_member("amina")
    category = Category.objects.create(slug="finanzas", name_en="Social finance", order=1)
    services.topic_create(
        category=category,
        author=author,
        title="Cooperativas de ahorro en Senegal",
        body="Nuestras cooperativas de ahorro crecen cada año.",
        language="es",
    )

    page.goto(f"{site}/es/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_accessible(page)

    page.get_by_role("link", name="Un nuevo estudio sobre finanzas sociales").first.click()
    expect(page).to_have_url(re.compile(r"/es/news/nuevo-estudio/"))
    assert_accessible(page)

    page.locator("main").get_by_role("link", name="Finanzas sociales y cooperativas").click()
    expect(page).to_have_url(re.compile(r"/es/library/finanzas/"))
    expect(page.locator("h1")).to_contain_text("Finanzas sociales y cooperativas")
    assert_accessible(page)

    page.locator("#site-search-q").fill("cooperativas ahorro")
    page.locator("#site-search-q").press("Enter")
    expect(page).to_have_url(re.compile(r"/es/search/\?q=cooperativas"))
    results = page.locator("main")
    expect(results).to_contain_text("Publicaciones")
    assert_accessible(page)
    results.get_by_role("link", name="Cooperativas de ahorro en Senegal").click()
    expect(page).to_have_url(re.compile(r"/es/forum/t/\d+-"))
    expect(page.locator("main")).to_contain_text("Nuestras cooperativas de ahorro")
    assert_accessible(page)
    page.go_back()
    results.get_by_role("link", name="Finanzas sociales y cooperativas").click()
    expect(page).to_have_url(re.compile(r"/es/library/finanzas/"))
