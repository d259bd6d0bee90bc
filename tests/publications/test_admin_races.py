"""Two curators uploading the same PDF at the same moment: a form error, never a 500."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.signals import pre_save

from publications.models import LanguageVersion, Publication
from publications.pdf import make_pdf
from tests.publications.factories import make_publication
from tests.publications.test_admin import (
    ADD,
    errors_of,
    publication_form,
    stored_files,
    with_versions,
)

# The other upload is committed by another database connection while this request's
# transaction is open, as it happens with two web processes.
pytestmark = pytest.mark.django_db(transaction=True)


def upload_elsewhere(publication, content):
    """Save a version with this file from another thread, so another connection commits it."""
    failures = []

    def save():
        try:
            version = LanguageVersion(publication=publication, language="en")
            version.set_file(SimpleUploadedFile("elsewhere.pdf", content))
            version.save()
        except Exception as error:  # reported in the test's own thread
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=save)
    thread.start()
    thread.join()
    assert not failures, failures


@pytest.fixture
def race(media_root):
    """Run ``upload_elsewhere`` once, after this request checked its files but before it
    stores them (the publication is saved first, its versions after)."""
    armed = []

    def arm(publication, content):
        armed.append((publication, content))

    def fire(sender, instance, **kwargs):
        if armed:
            upload_elsewhere(*armed.pop())

    pre_save.connect(fire, sender=Publication, dispatch_uid="test-upload-race")
    yield arm
    pre_save.disconnect(sender=Publication, dispatch_uid="test-upload-race")


def test_a_duplicate_saved_in_between_is_a_form_error(staff_client, race, media_root):
    content = make_pdf("Raced", ["The same report from two curators at once."])
    other = make_publication(slug="other", title="The other curator's upload")
    race(other, content)
    data = with_versions(
        publication_form(title_fr="Politiques publiques au Sénégal"),
        {"language": "fr", "file": SimpleUploadedFile("mine.pdf", content)},
    )

    response = staff_client.post(ADD, data)

    assert response.status_code == 200
    errors = errors_of(response)
    assert "already been uploaded" in errors and "The other curator" in errors
    # Nothing of this submission was written, and nothing the curator typed is lost.
    assert not Publication.objects.filter(slug="senegal").exists()
    assert list(LanguageVersion.objects.values_list("publication__slug", flat=True)) == ["other"]
    html = response.content.decode()
    assert 'value="Politiques publiques au Sénégal"' in html
    assert 'value="International Labour Organization"' in html
    # Only the other upload's file is in storage: this attempt's copy was removed.
    assert stored_files(media_root) == ["other-en.pdf"]


def test_races_won_one_after_another_are_retried_not_a_server_error(monkeypatch, rf):
    from django.contrib import admin
    from django.http import HttpResponse

    from publications.admin import DUPLICATE_RACE_ATTEMPTS, DuplicateUploadRace

    outcomes = [DuplicateUploadRace()] * (DUPLICATE_RACE_ATTEMPTS - 1) + [HttpResponse("form")]
    calls = []

    def attempt(self, request, object_id=None, form_url="", extra_context=None):
        calls.append(object_id)
        outcome = outcomes[len(calls) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(admin.ModelAdmin, "changeform_view", attempt)
    response = admin.site._registry[Publication].changeform_view(rf.post("/"), None)
    assert response.content == b"form" and len(calls) == DUPLICATE_RACE_ATTEMPTS
