"""Background text extraction of PDF files and the reindex_publications command."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from collective_brain.search import multilingual_query
from publications.models import ExtractionStatus, LanguageVersion, Publication, SearchTerm
from publications.tasks import extract_version_text
from tests.publications.factories import make_publication, make_version


def matches(text):
    return set(
        Publication.objects.filter(search_vector=multilingual_query(text)).values_list(
            "slug", flat=True
        )
    )


def broken_version(publication, content=b"%PDF-1.4\nthis is not a real PDF body"):
    version = LanguageVersion(publication=publication, language="en")
    version.set_file(SimpleUploadedFile("broken.pdf", content))
    version.save()
    return version


def test_uploading_queues_extraction_after_commit(db, django_capture_on_commit_callbacks):
    publication = make_publication(slug="brazil")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = make_version(publication, "en", text="Solidarity finance.")
    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.PENDING  # nothing before the commit

    for callback in callbacks:
        callback()
    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.DONE
    assert "Solidarity finance" in version.text


def test_broken_pdf_records_failure(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = broken_version(make_publication(slug="broken"))

    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.FAILED
    assert version.extraction_error  # e.g. "PdfReadError: …"
    assert version.extracted_at is not None
    assert version.text == ""


def test_extraction_task_on_a_missing_version_does_nothing(db):
    extract_version_text.enqueue(version_id=987654)  # the version was deleted meanwhile


def test_reindex_rebuilds_the_index_and_search_terms(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        brazil = make_publication(slug="brazil", title_fr="Politiques au Brésil")
        make_version(brazil, "fr", text="Les coopératives transforment les territoires.")
        make_publication(slug="korea", title="Social economy in Korea")
    Publication.objects.update(search_vector=None)
    SearchTerm.objects.all().delete()
    assert matches("territoires") == set()

    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("reindex_publications", stdout=stdout, stderr=stderr)

    assert matches("territoires") == {"brazil"}
    assert matches("Korea") == {"korea"}
    assert "2 publications indexed" in stdout.getvalue()
    assert "Search index" in stderr.getvalue() and "2/2" in stderr.getvalue()  # tqdm's bar
    assert SearchTerm.objects.filter(word="korea").exists()


def test_reindex_with_extract_reads_every_pdf_again(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        brazil = make_publication(slug="brazil")
        good = make_version(brazil, "en", text="Community currencies.")
        broken = broken_version(make_publication(slug="broken"))
        LanguageVersion.objects.create(
            publication=brazil, language="fr", external_url="https://example.org/fr"
        )
    LanguageVersion.objects.filter(pk=good.pk).update(
        text="", extraction_status=ExtractionStatus.PENDING
    )
    Publication.objects.update(search_vector=None)

    stdout = io.StringIO()
    call_command("reindex_publications", "--extract", stdout=stdout, stderr=io.StringIO())

    good.refresh_from_db()
    broken.refresh_from_db()
    assert good.extraction_status == ExtractionStatus.DONE
    assert "Community currencies" in good.text
    assert broken.extraction_status == ExtractionStatus.FAILED
    assert "Text extracted from 1 files, 1 failed." in stdout.getvalue()
    assert matches("currencies") == {"brazil"}


def test_reindex_is_quiet_at_verbosity_zero(db):
    make_publication(slug="brazil")
    stderr = io.StringIO()

    call_command("reindex_publications", verbosity=0, stdout=io.StringIO(), stderr=stderr)

    assert stderr.getvalue() == ""
