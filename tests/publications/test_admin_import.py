"""CSV import in the admin: a dry run keeps the file, "Confirm import" imports what was shown."""

import os
import re
import time

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.core import signing

from publications import csv_io
from publications.models import Publication
from tests.publications.factories import make_publication, make_type
from tests.publications.test_csv import IMPORT, csv_text, new_row, upload


@pytest.fixture
def library(db):
    """The publication type the rows name."""
    return make_type()


def staged_files(media_root):
    directory = media_root / csv_io.STAGING_DIRECTORY
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


def preview(client, text, name="senegal-and-more.csv"):
    response = client.post(IMPORT, {"file": upload(text, name=name), "dry_run": "on"})
    assert response.status_code == 200
    match = re.search(r'name="staged" value="([^"]+)"', response.content.decode())
    return response, match[1] if match else None


def test_preview_then_confirm_without_uploading_again(staff_client, library, curator, media_root):
    text = csv_text(new_row(), new_row(slug="mali", title_en="Public policies in Mali"))

    response, staged = preview(staff_client, text)

    html = response.content.decode()
    assert "Confirm import" in html and "2 to create" in html
    assert staged and len(staged_files(media_root)) == 1
    assert not Publication.objects.filter(slug__in=["senegal", "mali"]).exists()

    response = staff_client.post(IMPORT, {"staged": staged})

    assert response.status_code == 200
    assert "Import done: 2 created, 0 updated, 0 unchanged." in response.content.decode()
    senegal = Publication.objects.get(slug="senegal")
    assert senegal.title_en == "Public policies for the SSE in Senegal"
    entry = LogEntry.objects.get(object_id=str(senegal.pk))
    assert entry.user == curator and "senegal-and-more.csv" in entry.change_message
    assert staged_files(media_root) == []  # the kept file goes once imported
    assert 'name="staged"' not in response.content.decode()


def test_a_confirmation_works_once(staff_client, library, media_root):
    _response, staged = preview(staff_client, csv_text(new_row()))
    staff_client.post(IMPORT, {"staged": staged})

    again = staff_client.post(IMPORT, {"staged": staged})

    assert again.status_code == 410
    assert "no longer kept" in again.content.decode()
    assert Publication.objects.filter(slug="senegal").count() == 1


@pytest.mark.parametrize("tamper", ["truncated", "garbage", "empty"])
def test_a_tampered_confirmation_is_refused(staff_client, library, media_root, tamper):
    _response, staged = preview(staff_client, csv_text(new_row()))
    value = {"truncated": staged[:-4], "garbage": "not-a-signature", "empty": ""}[tamper]

    response = staff_client.post(IMPORT, {"staged": value})

    assert response.status_code == 400
    assert "This confirmation is not valid" in response.content.decode()
    assert not Publication.objects.filter(slug="senegal").exists()


def test_another_curators_confirmation_is_refused(staff_client, library, make_member):
    _response, staged = preview(staff_client, csv_text(new_row()))
    other = make_member("other", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=other, type=Authenticator.Type.TOTP, data={})
    staff_client.force_login(other)

    assert staff_client.post(IMPORT, {"staged": staged}).status_code == 400
    assert not Publication.objects.filter(slug="senegal").exists()


def test_a_signed_reference_outside_the_staging_folder_is_refused(staff_client, curator, db):
    for token in ["../../settings", "x" * 10, "a/b" * 20]:
        value = {"t": token, "f": "x.csv", "d": "", "u": curator.pk}
        signed = signing.dumps(value, salt=csv_io.STAGING_SALT, compress=True)

        assert staff_client.post(IMPORT, {"staged": signed}).status_code == 400


class _TwoDaysAgo(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 2 * 24 * 60 * 60)


def test_a_preview_older_than_a_day_cannot_be_confirmed(staff_client, library, curator):
    _response, staged = preview(staff_client, csv_text(new_row()))
    value = signing.loads(staged, salt=csv_io.STAGING_SALT)
    old = _TwoDaysAgo(salt=csv_io.STAGING_SALT).sign_object(value, compress=True)

    response = staff_client.post(IMPORT, {"staged": old})

    assert response.status_code == 410
    assert "more than a day old" in response.content.decode()
    assert not Publication.objects.filter(slug="senegal").exists()


def test_a_change_in_between_is_shown_before_anything_is_written(staff_client, library):
    _response, staged = preview(staff_client, csv_text(new_row()))
    make_publication(slug="senegal", title="Written meanwhile by another curator")

    response = staff_client.post(IMPORT, {"staged": staged})

    assert response.status_code == 409
    html = response.content.decode()
    assert "The library has changed since the preview" in html
    assert "import-row-update" in html  # what the file would do now
    assert Publication.objects.get(slug="senegal").title_en == (
        "Written meanwhile by another curator"
    )
    renewed = re.search(r'name="staged" value="([^"]+)"', html)[1]
    assert staff_client.post(IMPORT, {"staged": renewed}).status_code == 200
    assert Publication.objects.get(slug="senegal").title_en == (
        "Public policies for the SSE in Senegal"
    )


def test_no_file_is_kept_for_a_preview_with_errors(staff_client, library, media_root):
    response, staged = preview(staff_client, csv_text(new_row(type="nope")))

    assert staged is None and "Confirm import" not in response.content.decode()
    assert staged_files(media_root) == []


def test_files_left_unconfirmed_are_removed_after_a_day(staff_client, library, media_root):
    preview(staff_client, csv_text(new_row()))
    [forgotten] = staged_files(media_root)
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    os.utime(media_root / csv_io.STAGING_DIRECTORY / forgotten, (two_days_ago, two_days_ago))
    preview(staff_client, csv_text(new_row(slug="recent")))
    [recent] = staged_files(media_root)

    preview(staff_client, csv_text(new_row(slug="third")))

    assert forgotten not in staged_files(media_root)
    assert recent in staged_files(media_root) and len(staged_files(media_root)) == 2
