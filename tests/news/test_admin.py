"""Curation of news, tags and events in the admin, and image upload checks."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from news.models import Event, NewsItem, Status, Tag
from news.validators import MAX_IMAGE_BYTES, validate_news_image
from tests.news.factories import make_event, make_news, make_tag

LANGUAGES = ["en", "fr", "es", "pt", "it"]


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def news_form(**fields):
    data = {
        "slug": "a-new-item",
        "title_en": "A new item",
        "summary_en": "Summary.",
        "body_en": "Body.",
        "status": Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
    }
    for language in LANGUAGES[1:]:
        data.update({f"title_{language}": "", f"summary_{language}": "", f"body_{language}": ""})
    data.update(fields)
    return data


@pytest.mark.parametrize(
    "url",
    [
        "/admin/news/newsitem/",
        "/admin/news/newsitem/add/",
        "/admin/news/event/",
        "/admin/news/event/add/",
        "/admin/news/tag/",
        "/admin/news/tag/add/",
        "/admin/news/newsitem/?q=turin&status__exact=draft",
    ],
)
def test_admin_pages_open(staff_client, db, url):
    make_news(slug="turin", title="Turin", tags=[make_tag()])
    make_event(slug="webinar")

    response = staff_client.get(url)

    assert response.status_code == 200


def test_change_pages_have_translation_tabs(staff_client, db):
    item = make_news(slug="turin")
    event = make_event(slug="webinar")

    for url in [
        f"/admin/news/newsitem/{item.pk}/change/",
        f"/admin/news/event/{event.pk}/change/",
    ]:
        html = staff_client.get(url).content.decode()
        assert 'name="title_fr"' in html
        assert 'name="title_it"' in html


def test_adding_an_item_with_an_image_sets_the_author(staff_client, curator, media_root):
    upload = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")

    response = staff_client.post(
        "/admin/news/newsitem/add/", news_form(image=upload, image_alt_en="A green dot")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    item = NewsItem.objects.get(slug="a-new-item")
    assert item.author == curator
    assert item.image.name.startswith("news/a-new-item-")
    assert item.image.name.endswith(".png")
    assert (media_root / item.image.name).read_bytes() == png_bytes()


def test_a_text_file_named_png_is_refused(staff_client, media_root):
    upload = SimpleUploadedFile(
        "evil.png", b"<?php system($_GET['c']); ?>", content_type="image/png"
    )

    response = staff_client.post("/admin/news/newsitem/add/", news_form(image=upload))

    assert response.status_code == 200
    assert "not a valid picture" in response.content.decode()
    assert not NewsItem.objects.exists()
    assert not any(media_root.rglob("*.png"))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("notes.txt", b"hello", "extension"),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "extension"),
        ("photo.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "content"),
        ("photo.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 16, "content"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"broken", "content"),
        ("photo.png", b"", "content"),
    ],
)
def test_image_validation(name, content, code):
    upload = SimpleUploadedFile(name, content, content_type="image/png")

    with pytest.raises(ValidationError) as error:
        validate_news_image(upload)

    assert error.value.code == code


def test_images_larger_than_5_mb_are_refused():
    upload = SimpleUploadedFile(
        "big.png", png_bytes() + b"\x00" * MAX_IMAGE_BYTES, content_type="image/png"
    )

    with pytest.raises(ValidationError) as error:
        validate_news_image(upload)

    assert error.value.code == "size"


def test_a_real_png_is_accepted():
    validate_news_image(SimpleUploadedFile("dot.PNG", png_bytes(), content_type="image/png"))


def test_publish_and_unpublish_actions(staff_client, db):
    draft = make_news(slug="draft", published=False)
    published = make_news(slug="published")
    before = published.published_at

    staff_client.post(
        "/admin/news/newsitem/",
        {"action": "publish", "_selected_action": [draft.pk, published.pk]},
    )
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.published_at is not None
    assert published.published_at == before

    staff_client.post(
        "/admin/news/newsitem/", {"action": "unpublish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_event_actions(staff_client, db):
    event = make_event(slug="event", published=False)

    staff_client.post("/admin/news/event/", {"action": "publish", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.status == Status.PUBLISHED

    staff_client.post(
        "/admin/news/event/", {"action": "unpublish", "_selected_action": [event.pk]}
    )
    event.refresh_from_db()
    assert event.status == Status.DRAFT


def test_adding_an_event_validates_the_time_zone(staff_client, db):
    data = {
        "slug": "zone-test",
        "title_en": "Zone test",
        "kind": "webinar",
        "start_0": "2031-01-01",
        "start_1": "10:00",
        "end_0": "2031-01-01",
        "end_1": "11:00",
        "time_zone": "Nowhere/Special",
        "date_precision": "day",
        "status": "published",
    }

    response = staff_client.post("/admin/news/event/add/", data)

    assert response.status_code == 200
    assert "is not a known time zone" in response.content.decode()
    assert not Event.objects.exists()

    data["time_zone"] = "Asia/Seoul"
    assert staff_client.post("/admin/news/event/add/", data).status_code == 302
    assert Event.objects.get().time_zone == "Asia/Seoul"


def test_staff_without_mfa_cannot_curate(client, make_member):
    user = make_member("nomfa", is_staff=True, is_superuser=True)
    client.force_login(user)

    assert client.get("/admin/news/newsitem/").status_code == 302


def test_tag_admin_adds_tags(staff_client, db):
    response = staff_client.post(
        "/admin/news/tag/add/",
        {"slug": "decent-work", "name_en": "Decent work", "name_fr": "Travail décent"},
    )

    assert response.status_code == 302
    assert Tag.objects.get(slug="decent-work").name_fr == "Travail décent"
