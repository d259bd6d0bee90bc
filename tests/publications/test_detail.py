import datetime
import html as html_lib
import json
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from academies.models import Edition
from publications.detail import publication_context
from publications.metadata import Name, apa_author_list, publication_queryset
from publications.models import Author, Authorship, Collection, LanguageVersion
from tests.publications.factories import make_publication, make_theme, make_version

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def build(db, django_capture_on_commit_callbacks):
    """Run factories with on-commit callbacks (text extraction, indexing) executed."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def brazil(build):
    def create():
        publication = make_publication(
            slug="sse-brazil",
            title_fr="Politiques publiques pour l’ESS au Brésil",
            title_es="Políticas públicas para la ESS en Brasil",
            subtitle_en="A country case study",
            summary_en="First paragraph about <b>cooperatives</b>.\n\nSecond paragraph.",
            summary_fr="Une étude des politiques publiques.",
            authors=["Lima, Ana Maria", "Souza, Jean-Pierre"],
            themes=[make_theme("decent-work", name_fr="Travail décent")],
            countries=["BR", "AR"],
            regions=["americas"],
            isbn="978-92-2-131234-5",
            doi="10.1234/ilo.2016.42",
            handle_url="https://hdl.handle.net/1234/5678",
            publication_date=datetime.date(2016, 11, 1),
            date_precision="month",
        )
        make_version(publication, "en", text="English text about cooperatives.")
        make_version(publication, "fr", text="Texte français sur les coopératives.")
        edition = Edition.objects.create(
            number=1, slug="1-turin", city="Turin", country="IT", year=2010
        )
        collection = Collection.objects.create(
            slug="turin-2010", title_en="Turin 2010 reading list", edition=edition
        )
        publication.collections.add(collection)
        related = make_publication(slug="sse-argentina", title="SSE in Argentina")
        hidden = make_publication(slug="draft-related", title="Draft neighbour", published=False)
        publication.related.add(related, hidden)
        return publication

    return build(create)


@pytest.fixture
def curator(make_member):
    return make_member("curator", is_staff=True)


def page(client, publication, language="en"):
    response = client.get(f"/{language}/library/{publication.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return match.group(1)


def meta_tags(html, name):
    return [
        html_lib.unescape(content)
        for content in re.findall(rf'<meta name="{name}" content="([^"]*)">', html)
    ]


def test_page_shows_the_publications_metadata(client, brazil):
    html = page(client, brazil)

    assert "<h1>Public policies for the SSE in Brazil</h1>" in html
    assert "A country case study" in html
    assert "Country case study on public policy" in html
    assert "November 2016" in html
    assert html.index("Lima, Ana Maria") < html.index("Souza, Jean-Pierre")
    assert "International Labour Organization" in html
    assert 'href="/en/library/?theme=decent-work"' in html
    assert 'href="/en/library/?country=BR">Brazil</a>' in html
    assert 'href="/en/library/?country=AR">Argentina</a>' in html
    assert "Americas" in html
    assert "978-92-2-131234-5" in html
    assert 'href="https://doi.org/10.1234/ilo.2016.42"' in html
    assert 'href="https://hdl.handle.net/1234/5678"' in html
    assert "Turin 2010 reading list" in html
    assert 'href="/en/academy/1-turin/"' in html
    assert 'href="/en/library/sse-argentina/">SSE in Argentina</a>' in html
    assert "Draft neighbour" not in html
    assert "Draft – not public" not in html


def test_summary_keeps_paragraphs_and_escapes_markup(client, brazil):
    html = page(client, brazil)

    assert "<p>First paragraph about &lt;b&gt;cooperatives&lt;/b&gt;.</p>" in html
    assert "<p>Second paragraph.</p>" in html


def test_one_download_per_language_version_with_size_pages_and_count(client, brazil):
    LanguageVersion.objects.filter(publication=brazil, language="fr").update(download_count=1234)

    html = page(client, brazil)

    assert html.count('class="download-link"') == 2
    assert 'href="/en/library/sse-brazil/download/en/"' in html
    assert 'href="/en/library/sse-brazil/download/fr/"' in html
    assert re.search(r"PDF, [\d.]+\xa0KB, 1 page<", html)
    assert "1,234 downloads" in html
    assert "0 downloads" in html


def test_external_link_version_opens_with_noopener(client, build, brazil):
    build(
        LanguageVersion.objects.create,
        publication=brazil,
        language="es",
        external_url="https://www.ilo.org/es/informe.pdf",
    )

    html = page(client, brazil)

    link = re.search(r'<a class="download-link" href="([^"]+)" hreflang="es" ([^>]*)>', html)
    assert link.group(1) == "/en/library/sse-brazil/download/es/"
    assert 'rel="noopener' in link.group(2)
    assert "External link" in html


@pytest.mark.parametrize(
    ("precision", "language", "expected"),
    [
        ("year", "en", "2016"),
        ("month", "en", "November 2016"),
        ("month", "fr", "novembre 2016"),
        ("day", "en", "Nov. 1, 2016"),
        ("day", "fr", "1 novembre 2016"),
    ],
)
def test_date_follows_its_precision_and_language(client, build, precision, language, expected):
    publication = build(make_publication, date_precision=precision)

    assert expected in page(client, publication, language)


def test_draft_is_not_found_for_visitors_and_members(client, build, member):
    draft = build(make_publication, slug="draft", published=False)
    scheduled = build(
        make_publication,
        slug="scheduled",
        published_at=timezone.now() + datetime.timedelta(days=2),
    )

    assert client.get("/en/library/draft/").status_code == 404
    assert client.get("/en/library/scheduled/").status_code == 404
    client.force_login(member)
    assert client.get(f"/en/library/{draft.slug}/").status_code == 404
    assert client.get(f"/en/library/{scheduled.slug}/").status_code == 404


def test_unknown_publication_is_not_found(client, db):
    assert client.get("/en/library/no-such-thing/").status_code == 404


def test_curator_previews_a_draft_with_a_banner(client, build, curator):
    draft = build(make_publication, slug="draft", title="Unfinished study", published=False)
    client.force_login(curator)

    response = client.get("/en/library/draft/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft – not public" in html
    assert "Unfinished study" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert draft.get_absolute_url() == "/en/library/draft/"


def test_preview_context_shows_the_banner(rf, brazil, curator):
    request = rf.get("/en/library/sse-brazil/")
    request.user = curator
    publication = publication_queryset(request.user).get(pk=brazil.pk)
    with translation.override("en"):
        html = render_to_string(
            "publications/publication_detail.html",
            publication_context(request, publication, preview=True),
            request=request,
        )

    assert "Draft – not public" in html


def test_json_ld_describes_the_publication(client, brazil):
    data = json.loads(json_ld(page(client, brazil)))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Report"
    assert data["name"] == "Public policies for the SSE in Brazil"
    assert [author["familyName"] for author in data["author"]] == ["Lima", "Souza"]
    assert data["author"][0]["givenName"] == "Ana Maria"
    assert data["datePublished"] == "2016-11"
    assert data["publisher"]["name"] == "International Labour Organization"
    assert data["inLanguage"] == ["en", "fr"]
    assert data["url"] == "http://testserver/en/library/sse-brazil/"
    assert [media["contentUrl"] for media in data["encoding"]] == [
        "http://testserver/en/library/sse-brazil/download/en/",
        "http://testserver/en/library/sse-brazil/download/fr/",
    ]
    assert {item["propertyID"]: item["value"] for item in data["identifier"]} == {
        "ISBN": "978-92-2-131234-5",
        "DOI": "10.1234/ilo.2016.42",
    }
    assert data["about"] == [{"@type": "Thing", "name": "Decent work"}]
    assert [place["identifier"] for place in data["spatialCoverage"]] == ["BR", "AR"]


def test_hostile_title_cannot_break_out_of_json_ld(client, build):
    hostile = 'Evil </script><script>alert("x")</script> {braces} & <!-- more'
    publication = build(make_publication, title=hostile, summary_en="</SCRIPT>")

    html = page(client, publication)

    block = json_ld(html)
    assert "<" not in block
    assert ">" not in block
    assert json.loads(block)["name"] == hostile
    assert "<script>alert" not in html
    assert html.count("</script>") == html.count("<script")


def test_highwire_and_open_graph_tags(client, brazil):
    html = page(client, brazil)

    assert meta_tags(html, "citation_title") == [
        "Public policies for the SSE in Brazil: A country case study"
    ]
    assert meta_tags(html, "citation_author") == ["Lima, Ana Maria", "Souza, Jean-Pierre"]
    assert meta_tags(html, "citation_publication_date") == ["2016/11"]
    assert meta_tags(html, "citation_publisher") == ["International Labour Organization"]
    assert meta_tags(html, "citation_pdf_url") == [
        "http://testserver/en/library/sse-brazil/download/en/"
    ]
    assert meta_tags(html, "citation_language") == ["en", "fr"]
    assert meta_tags(html, "citation_isbn") == ["978-92-2-131234-5"]
    assert meta_tags(html, "citation_doi") == ["10.1234/ilo.2016.42"]
    assert meta_tags(html, "description") == [
        "First paragraph about <b>cooperatives</b>. Second paragraph."
    ]
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:url" content="http://testserver/en/library/sse-brazil/">' in html
    assert '<meta property="og:title" content="Public policies for the SSE in Brazil' in html
    assert '<meta property="og:description" content="First paragraph' in html


def test_highwire_pdf_follows_the_readers_language_then_english(client, brazil):
    french = page(client, brazil, "fr")
    italian = page(client, brazil, "it")

    assert meta_tags(french, "citation_pdf_url") == [
        "http://testserver/fr/library/sse-brazil/download/fr/"
    ]
    assert meta_tags(french, "citation_language")[0] == "fr"
    assert meta_tags(italian, "citation_pdf_url") == [
        "http://testserver/it/library/sse-brazil/download/en/"
    ]


def test_highwire_date_for_a_year_and_a_day(client, build):
    year = build(make_publication, date_precision="year")
    day = build(make_publication, date_precision="day", publication_date=datetime.date(2019, 3, 7))

    assert meta_tags(page(client, year), "citation_publication_date") == ["2016"]
    assert meta_tags(page(client, day), "citation_publication_date") == ["2019/03/07"]


def test_formatted_citation_is_ready_to_copy(client, brazil):
    html = page(client, brazil)

    assert (
        '<blockquote class="citation-text" id="citation-text">Lima, A. M., &amp; Souza, J.-P. '
        "(2016). Public policies for the SSE in Brazil: A country case study. "
        "International Labour Organization. https://doi.org/10.1234/ilo.2016.42</blockquote>"
    ) in html
    assert 'href="/en/library/sse-brazil/cite/bibtex/"' in html
    assert 'href="/en/library/sse-brazil/cite/ris/"' in html
    assert 'href="/en/library/sse-brazil/cite/csl-json/"' in html


def test_formatted_citation_of_an_organisation_without_doi(client, build):
    def create():
        publication = make_publication(slug="ilo-report", title="World report")
        author = Author.objects.create(
            name="International Labour Organization", kind=Author.Kind.ORGANISATION
        )
        Authorship.objects.create(publication=publication, author=author)
        return publication

    html = page(client, build(create))

    assert (
        ">International Labour Organization. (2016). World report. "
        "http://testserver/en/library/ilo-report/</blockquote>"
    ) in html


def test_apa_author_lists():
    def names(*values):
        return [Name.of(Author(name=value)) for value in values]

    assert apa_author_list(names("Lima, Ana")) == "Lima, A."
    assert apa_author_list(names("Ana Lima", "Paulo Freire")) == "Lima, A., & Freire, P."
    assert apa_author_list(names("A, B", "C, D", "E, F")) == "A, B., C, D., & E, F."
    many = apa_author_list(names(*[f"Author{n}, X" for n in range(25)]))
    assert many.count("Author") == 20
    assert ", . . . Author24, X." in many


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_renders_in_every_language(client, brazil, language):
    html = page(client, brazil, language)
    titles = {
        "fr": "Politiques publiques pour l’ESS au Brésil",
        "es": "Políticas públicas para la ESS en Brasil",
    }

    assert f'<html lang="{language}"' in html
    if language in titles:
        assert f"<h1>{titles[language]}</h1>" in html
    else:
        # No translation: the English title, marked as English for screen readers.
        expected = "<h1" + ("" if language == "en" else ' lang="en"')
        assert f"{expected}>Public policies for the SSE in Brazil</h1>" in html
        assert "A country case study" in html
    assert f"http://testserver/{language}/library/sse-brazil/download/en/" in html


def test_french_page_uses_french_summary_and_theme(client, brazil):
    html = page(client, brazil, "fr")

    assert "Une étude des politiques publiques." in html
    assert "A country case study" not in html  # no English subtitle under a French title
    assert "Travail décent" in html
    assert 'href="/fr/library/?country=BR">Brésil</a>' in html


def queries_for(client, url):
    """Queries of an uncached page view (the loaded publication is cached between views)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_related_rows(client, build, django_assert_max_num_queries):
    def small():
        publication = make_publication(slug="measured", authors=["One, Author"])
        publication.themes.set([make_theme("theme-0")])
        make_version(publication, "en", text="Only one version.")
        publication.related.add(make_publication(slug="neighbour-0"))
        publication.collections.add(Collection.objects.create(slug="c-0", title_en="C 0"))
        return publication

    publication = build(small)
    client.get("/en/library/measured/")  # warm caches (content types, translations)
    before = queries_for(client, "/en/library/measured/")

    def grow():
        for number in range(1, 8):
            author = Author.objects.create(name=f"Author{number}, Given")
            Authorship.objects.create(publication=publication, author=author, order=number)
            publication.themes.add(make_theme(f"theme-{number}"))
            publication.related.add(make_publication(slug=f"neighbour-{number}"))
            make_publication(slug=f"other-{number}", authors=[f"Other{number}, X"])
        for number, language in enumerate(["fr", "es", "pt", "it", "de", "ar"]):
            make_version(publication, language, text=f"Version number {number} in {language}.")
        for number in range(1, 4):
            edition = Edition.objects.create(
                number=number, slug=f"e-{number}", city=f"City {number}", country="FR"
            )
            publication.collections.add(
                Collection.objects.create(
                    slug=f"c-{number}", title_en=f"C {number}", edition=edition
                )
            )

    build(grow)
    after = queries_for(client, "/en/library/measured/")
    html = page(client, publication)

    assert html.count('class="download-link"') == 7
    assert html.count('name="citation_author"') == 8
    assert after == before
    cache.clear()
    with django_assert_max_num_queries(7):
        client.get("/en/library/measured/")
    with django_assert_max_num_queries(0):
        client.get("/en/library/measured/")  # later visitors: from the cache


def test_cached_page_follows_changes_to_the_publication(client, build):
    publication = build(make_publication, slug="changing", title="First title")
    assert "First title" in page(client, publication)

    publication.title_en = "Second title"
    publication.save()

    assert "Second title" in page(client, publication)


def test_query_count_is_constant_for_a_signed_in_curator(client, build, curator):
    publication = build(make_publication, slug="measured", authors=["One, Author"])
    client.force_login(curator)
    client.get("/en/library/measured/")
    before = queries_for(client, "/en/library/measured/")

    def grow():
        for number in range(5):
            author = Author.objects.create(name=f"Author{number}, Given")
            Authorship.objects.create(publication=publication, author=author, order=number + 1)
            make_version(publication, ["fr", "es", "pt", "it", "de"][number], text=f"V{number}")

    build(grow)

    assert queries_for(client, "/en/library/measured/") == before
