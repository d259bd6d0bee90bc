"""Stored PDF files go when the rows that use them go, once the change is committed."""

import pytest
from django.db import transaction

from publications.models import Publication
from tests.publications.factories import make_publication, make_version, pdf_upload
from tests.publications.test_admin import (
    CHANGELIST,
    errors_of,
    publication_form,
    stored_files,
    with_versions,
)


@pytest.fixture
def senegal(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publication = make_publication(slug="senegal", title="Public policies in Senegal")
        make_version(publication, "en", text="Women's cooperatives in Dakar.")
        make_version(publication, "fr", text="Les coopératives de femmes à Dakar.")
    return publication


@pytest.fixture
def brazil(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publication = make_publication(slug="brazil")
        make_version(publication, "pt", text="Economia solidária no Brasil.")
    return publication


def test_deleting_a_publication_in_the_admin_removes_its_files(
    staff_client, senegal, brazil, media_root, django_capture_on_commit_callbacks
):
    assert stored_files(media_root) == ["brazil-pt.pdf", "senegal-en.pdf", "senegal-fr.pdf"]

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{CHANGELIST}{senegal.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Publication.objects.filter(pk=senegal.pk).exists()
    assert stored_files(media_root) == ["brazil-pt.pdf"]


def test_the_delete_action_removes_the_files_of_every_selected_publication(
    staff_client, senegal, brazil, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(CHANGELIST, {"action": "delete_selected", "post": "yes",
                                                  "_selected_action": [senegal.pk, brazil.pk]})  # fmt: skip

    assert response.status_code == 302
    assert stored_files(media_root) == []


def test_deleting_a_language_version_in_the_form_removes_only_its_file(
    staff_client, senegal, media_root, django_capture_on_commit_callbacks
):
    english, french = senegal.versions.order_by("language")
    data = with_versions(
        publication_form(title_en=senegal.title_en),
        {"id": english.pk, "language": "en"},
        {"id": french.pk, "language": "fr"},
        initial=2,
    )
    data["versions-1-DELETE"] = "on"

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{CHANGELIST}{senegal.pk}/change/", data)

    assert response.status_code == 302, errors_of(response)
    assert list(senegal.versions.values_list("language", flat=True)) == ["en"]
    assert stored_files(media_root) == ["senegal-en.pdf"]


def test_replacing_a_file_removes_the_old_one_after_the_commit(
    staff_client, senegal, media_root, django_capture_on_commit_callbacks
):
    english = senegal.versions.get(language="en")
    data = with_versions(
        publication_form(title_en=senegal.title_en),
        {"id": english.pk, "language": "en", "file": pdf_upload("A revised edition.")},
        initial=1,
    )
    data["versions-TOTAL_FORMS"] = data["versions-INITIAL_FORMS"] = "1"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(f"{CHANGELIST}{senegal.pk}/change/", data)
        assert (media_root / "publications/senegal/senegal-en.pdf").exists()  # until commit

    assert response.status_code == 302, errors_of(response)
    assert callbacks
    english.refresh_from_db()
    assert english.file.name != "publications/senegal/senegal-en.pdf"
    assert stored_files(media_root) == sorted(
        ["senegal-fr.pdf", english.file.name.rsplit("/", 1)[1]]
    )


def test_a_file_another_version_still_uses_is_kept(
    senegal, brazil, media_root, django_capture_on_commit_callbacks
):
    shared = senegal.versions.get(language="en").file.name
    portuguese = brazil.versions.get()
    portuguese.file = shared  # e.g. one file for two records, set up by a script
    with django_capture_on_commit_callbacks(execute=True):
        portuguese.save()

    with django_capture_on_commit_callbacks(execute=True):
        senegal.delete()

    assert (media_root / shared).exists()  # Brazil's version points at it
    assert not (media_root / "publications/brazil/brazil-pt.pdf").exists()  # replaced
    with django_capture_on_commit_callbacks(execute=True):
        brazil.delete()
    assert not (media_root / shared).exists()


def test_nothing_is_removed_when_the_deletion_is_rolled_back(
    senegal, media_root, django_capture_on_commit_callbacks
):
    pk = senegal.pk
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                senegal.delete()
                raise RuntimeError("something failed later in the same transaction")
        except RuntimeError:
            pass

    assert Publication.objects.filter(pk=pk).exists()
    assert stored_files(media_root) == ["senegal-en.pdf", "senegal-fr.pdf"]
