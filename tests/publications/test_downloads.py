import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publications.models import LanguageVersion
from publications.pdf import make_pdf
from tests.publications.factories import make_publication, make_version


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def build(db, django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


PDF = make_pdf("Public policies for the SSE in Brazil", ["Cooperatives create decent work."])


@pytest.fixture
def brazil(build):
    def create():
        publication = make_publication(slug="sse-brazil")
        version = LanguageVersion(publication=publication, language="fr")
        version.set_file(SimpleUploadedFile("rapport final.pdf", PDF, "application/pdf"))
        version.save()
        return publication

    return build(create)


def french(publication):
    return publication.versions.get(language="fr")


def fetch(response) -> bytes:
    """The whole body; the test client closes the file once it is read."""
    return b"".join(response.streaming_content)


def test_download_serves_the_exact_pdf_with_safe_headers(client, brazil):
    response = client.get("/en/library/sse-brazil/download/fr/")

    assert response.status_code == 200
    assert fetch(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="sse-brazil-fr.pdf"'
    assert response["Content-Length"] == str(len(PDF))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]


def test_every_download_counts_once(client, brazil):
    for _ in range(3):
        fetch(client.get("/fr/library/sse-brazil/download/fr/"))

    assert french(brazil).download_count == 3


def test_download_costs_one_lookup_and_one_update(client, brazil):
    with CaptureQueriesContext(connection) as queries:
        fetch(client.get("/en/library/sse-brazil/download/fr/"))

    statements = [query["sql"].split()[0] for query in queries]
    assert statements == ["SELECT", "UPDATE"]
    assert "download_count" in queries[1]["sql"]


def test_counter_is_incremented_in_the_database_not_in_python(client, brazil):
    version = french(brazil)
    LanguageVersion.objects.filter(pk=version.pk).update(download_count=41)

    fetch(client.get("/en/library/sse-brazil/download/fr/"))

    version.refresh_from_db()
    assert version.download_count == 42


def test_unknown_language_or_publication_is_not_found(client, brazil):
    assert client.get("/en/library/sse-brazil/download/es/").status_code == 404
    assert client.get("/en/library/sse-brazil/download/xx/").status_code == 404
    assert client.get("/en/library/no-such-thing/download/fr/").status_code == 404


def test_only_get_is_allowed(client, brazil):
    assert client.post("/en/library/sse-brazil/download/fr/").status_code == 405
    assert french(brazil).download_count == 0


def test_draft_download_is_not_found_for_visitors_but_served_to_curators(
    client, build, make_member
):
    draft = build(make_publication, slug="draft", published=False)
    build(make_version, draft, "en", text="Draft text.")

    assert client.get("/en/library/draft/download/en/").status_code == 404
    client.force_login(make_member("reader"))
    assert client.get("/en/library/draft/download/en/").status_code == 404

    client.force_login(make_member("curator", is_staff=True))
    response = client.get("/en/library/draft/download/en/")
    assert response.status_code == 200
    assert fetch(response).startswith(b"%PDF")
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_missing_file_is_a_clear_not_found_and_not_counted(client, brazil):
    os.remove(french(brazil).file.path)

    response = client.get("/en/library/sse-brazil/download/fr/")

    assert response.status_code == 404
    assert "File unavailable" in response.content.decode()
    assert 'href="/en/library/sse-brazil/"' in response.content.decode()
    assert french(brazil).download_count == 0


def test_external_version_is_counted_then_redirected(client, build, brazil):
    build(
        LanguageVersion.objects.create,
        publication=brazil,
        language="es",
        external_url="https://www.ilo.org/es/informe.pdf",
    )

    response = client.get("/en/library/sse-brazil/download/es/")

    assert response.status_code == 302
    assert response["Location"] == "https://www.ilo.org/es/informe.pdf"
    assert brazil.versions.get(language="es").download_count == 1


def test_page_counts_are_shown_after_downloads(client, brazil):
    fetch(client.get("/en/library/sse-brazil/download/fr/"))

    html = client.get("/en/library/sse-brazil/").content.decode()

    assert "1 download<" in html
