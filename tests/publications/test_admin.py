"""Curation of the library in the admin: forms, uploads, actions, preview, history."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter

from collective_brain.search import multilingual_query
from publications.models import (
    Author,
    Collection,
    ExtractionStatus,
    LanguageVersion,
    Publication,
    PublicationStatus,
)
from publications.pdf import make_pdf
from tests.publications.factories import (
    make_publication,
    make_theme,
    make_type,
    make_version,
    pdf_upload,
)

CHANGELIST = "/admin/publications/publication/"
ADD = "/admin/publications/publication/add/"
LANGUAGES = ["en", "fr", "es", "pt", "it"]


def stored_files(root):
    return sorted(path.name for path in root.rglob("*") if path.is_file())


def publication_form(**fields):
    """The add/change form's POST data, inline management forms included."""
    data = {
        f"{name}_{code}": "" for name in ("title", "subtitle", "summary") for code in LANGUAGES
    }
    data.update(
        {
            "title_en": "Public policies for the SSE in Senegal",
            "slug": "senegal",
            "type": make_type().pk,
            "status": "draft",
            "published_at_0": "",
            "published_at_1": "",
            "publication_date": "2019-03-01",
            "date_precision": "month",
            "publisher": "International Labour Organization",
            "isbn": "",
            "doi": "",
            "handle_url": "",
            "authorships-TOTAL_FORMS": "0",
            "authorships-INITIAL_FORMS": "0",
            "authorships-MIN_NUM_FORMS": "0",
            "authorships-MAX_NUM_FORMS": "1000",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
            "versions-MIN_NUM_FORMS": "0",
            "versions-MAX_NUM_FORMS": "1000",
            "_save": "Save",
        }
    )
    data.update(fields)
    return data


def with_versions(data, *versions, initial=0):
    data["versions-TOTAL_FORMS"] = str(len(versions))
    data["versions-INITIAL_FORMS"] = str(initial)
    for index, version in enumerate(versions):
        data[f"versions-{index}-language"] = version.get("language", "en")
        data[f"versions-{index}-file"] = version.get("file", "")
        data[f"versions-{index}-external_url"] = version.get("external_url", "")
        if "id" in version:
            data[f"versions-{index}-id"] = version["id"]
    return data


def errors_of(response):
    """Every error the admin form shows, flattened to text (for readable assertions)."""
    context = response.context
    parts = [str(context["adminform"].form.errors)]
    for formset in context["inline_admin_formsets"]:
        parts += [str(formset.formset.errors), str(formset.formset.non_form_errors())]
    return " ".join(parts)


# Access ------------------------------------------------------------------------------


def test_changelist_search_and_filters_render(staff_client, django_capture_on_commit_callbacks):
    theme = make_theme("gender-equality")
    collection = Collection.objects.create(slug="academy-2019", title_en="Academy 2019")
    with django_capture_on_commit_callbacks(execute=True):
        brazil = make_publication(
            slug="brazil", title_fr="Politiques au Brésil", authors=["Lima, Ana"], themes=[theme]
        )
        brazil.collections.add(collection)
        make_version(brazil, "fr", text="Les coopératives sociales.")
        make_publication(slug="korea", title="Social economy in Korea", published=False)

    html = staff_client.get(CHANGELIST).content.decode()
    assert "Public policies for the SSE in Brazil" in html
    assert "Social economy in Korea" in html
    assert "Import CSV" in html and "Export CSV" in html

    for query, expected, absent in [
        ("?q=Brésil", "Brazil", "Korea"),
        ("?q=Lima", "Brazil", "Korea"),
        ("?status__exact=draft", "Korea", "SSE in Brazil"),
        (f"?themes__id__exact={theme.pk}", "Brazil", "Korea"),
        (f"?collections__id__exact={collection.pk}", "Brazil", "Korea"),
        ("?language=fr", "Brazil", "Korea"),
        ("?extraction=done", "Brazil", "Korea"),
        ("?publication_date__year=2016", "Brazil", "nothing-absent"),
    ]:
        response = staff_client.get(CHANGELIST + query)
        assert response.status_code == 200, query
        results = response.context["cl"].result_list
        titles = " ".join(publication.title for publication in results)
        assert expected in titles, query
        assert absent not in titles, query


def test_other_library_admin_pages_render(staff_client):
    make_type()
    make_theme()
    Author.objects.create(name="Lima, Ana")
    Collection.objects.create(slug="academy", title_en="Academy")
    for model in ["publicationtype", "theme", "collection", "author", "publication"]:
        assert staff_client.get(f"/admin/publications/{model}/").status_code == 200, model
        assert staff_client.get(f"/admin/publications/{model}/add/").status_code == 200, model
    for model, field, term, expected in [
        ("authorship", "author", "Lima", "Lima, Ana"),
        ("publication", "themes", "decent", "Decent work"),
        ("publication", "collections", "acad", "Academy"),
        ("publication", "type", "country", "Country case study on public policy"),
    ]:
        response = staff_client.get(
            "/admin/autocomplete/",
            {"app_label": "publications", "model_name": model, "field_name": field, "term": term},
        )
        assert response.status_code == 200, field
        assert [item["text"] for item in response.json()["results"]] == [expected], field


def test_add_form_shows_translation_tabs_and_inlines(staff_client):
    html = staff_client.get(ADD).content.decode()

    assert "tabbed_translation_fields.js" in html
    for code in LANGUAGES:
        assert f'name="title_{code}"' in html
    assert 'name="versions-TOTAL_FORMS"' in html
    assert 'name="authorships-TOTAL_FORMS"' in html


def test_staff_without_mfa_cannot_open_the_library_admin(client, make_member):
    user = make_member("nomfa", is_staff=True, is_superuser=True)
    client.force_login(user)

    assert client.get(CHANGELIST).status_code == 302


def test_curators_group_with_library_permissions(client, make_member, curator):
    group = Group.objects.create(name="Curators")
    group.permissions.set(Permission.objects.filter(content_type__app_label="publications"))
    user = make_member("librarian", is_staff=True)
    user.groups.add(group)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    publication = make_publication(slug="brazil", published=False)
    client.force_login(user)

    assert client.get(CHANGELIST).status_code == 200
    assert client.get(ADD).status_code == 200
    assert client.get(f"{CHANGELIST}{publication.pk}/change/").status_code == 200
    assert client.get(f"{CHANGELIST}{publication.pk}/preview/").status_code == 200
    assert client.get(f"{CHANGELIST}import/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 403

    response = client.post(CHANGELIST, {"action": "publish", "_selected_action": [publication.pk]})
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED


def test_viewers_cannot_import_or_publish(client, make_member):
    group = Group.objects.create(name="Readers")
    group.permissions.set(Permission.objects.filter(codename__startswith="view_"))
    user = make_member("reader", is_staff=True)
    user.groups.add(group)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    publication = make_publication(slug="brazil", published=False)
    client.force_login(user)

    assert client.get(CHANGELIST).status_code == 200
    assert client.get(f"{CHANGELIST}import/").status_code == 403
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [publication.pk]})
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.DRAFT


# Adding with PDF files ----------------------------------------------------------------


def test_add_publication_with_english_and_french_pdfs(
    staff_client, curator, media_root, django_capture_on_commit_callbacks
):
    author = Author.objects.create(name="Ndiaye, Fatou")
    data = publication_form(
        title_fr="Politiques publiques pour l’ESS au Sénégal",
        status="published",
        **{"authorships-TOTAL_FORMS": "1", "authorships-0-author": author.pk},
        **{"authorships-0-order": "0"},
    )
    with_versions(
        data,
        {
            "language": "en",
            "file": pdf_upload("Women's cooperatives in Dakar.", name="../x y.PDF"),
        },
        {
            "language": "fr",
            "file": pdf_upload("Les mutuelles de santé au Sénégal.", language="fr"),
        },
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(ADD, data)

    assert response.status_code == 302, errors_of(response)
    publication = Publication.objects.get(slug="senegal")
    assert publication.status == PublicationStatus.PUBLISHED and publication.published_at
    assert [a.name for a in publication.authors.all()] == ["Ndiaye, Fatou"]
    english, french = publication.versions.order_by("language")
    assert (english.language, french.language) == ("en", "fr")
    assert english.file.name == "publications/senegal/senegal-en.pdf"  # a safe, predictable name
    assert len(english.checksum) == 64 and english.size > 0
    assert english.extraction_status == french.extraction_status == ExtractionStatus.DONE
    assert "mutuelles" in french.text and french.page_count == 1
    assert stored_files(media_root) == ["senegal-en.pdf", "senegal-fr.pdf"]
    indexed = Publication.objects.filter(search_vector=multilingual_query("mutuelles"))
    assert list(indexed) == [publication]
    assert Publication.objects.filter(search_vector=multilingual_query("Ndiaye")).exists()

    entry = LogEntry.objects.get(object_id=str(publication.pk))
    assert entry.action_flag == ADDITION and entry.user == curator
    history = staff_client.get(f"{CHANGELIST}{publication.pk}/history/")
    assert history.status_code == 200
    assert "Added" in history.content.decode()


def test_publishing_without_a_time_sets_it(staff_client):
    response = staff_client.post(
        ADD,
        with_versions(publication_form(status="published"), {"external_url": "https://x.org/a"}),
    )

    assert response.status_code == 302, errors_of(response)
    publication = Publication.objects.get()
    assert publication.published_at is not None
    assert publication.versions.get().extraction_status == ExtractionStatus.PENDING


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("report.pdf", b"Just some text, not a PDF at all.\n"),
            "not a PDF document",
        ),
        (
            SimpleUploadedFile("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog"),
            "damaged",
        ),
    ],
    ids=["text-renamed-pdf", "truncated-pdf"],
)
def test_files_that_are_not_readable_pdfs_are_refused(staff_client, media_root, upload, message):
    data = with_versions(publication_form(), {"language": "en", "file": upload})

    response = staff_client.post(ADD, data)

    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Publication.objects.exists()
    assert not LanguageVersion.objects.exists()
    assert stored_files(media_root) == []


def test_encrypted_pdf_is_refused(staff_client, media_root):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf("Secret", ["Hidden text."]))))
    writer.encrypt("password")
    buffer = io.BytesIO()
    writer.write(buffer)
    upload = SimpleUploadedFile("secret.pdf", buffer.getvalue())

    response = staff_client.post(
        ADD, with_versions(publication_form(), {"language": "en", "file": upload})
    )

    assert response.status_code == 200
    assert "encrypted" in errors_of(response)
    assert stored_files(media_root) == []


def test_file_over_the_size_limit_is_refused(staff_client, settings, media_root):
    settings.PUBLICATION_MAX_UPLOAD_BYTES = 500
    data = with_versions(publication_form(), {"language": "en", "file": pdf_upload("x" * 200)})

    response = staff_client.post(ADD, data)

    assert response.status_code == 200
    assert "files up to 500" in errors_of(response)
    assert not Publication.objects.exists()
    assert stored_files(media_root) == []


def test_second_upload_of_the_same_file_is_refused(
    staff_client, media_root, django_capture_on_commit_callbacks
):
    content = make_pdf("Original", ["The same bytes twice."])
    original = make_publication(slug="original", title="The original study")
    version = LanguageVersion(publication=original, language="en")
    version.set_file(SimpleUploadedFile("original.pdf", content))
    version.save()
    files_before = stored_files(media_root)

    data = with_versions(
        publication_form(),
        {"language": "fr", "file": SimpleUploadedFile("copy.pdf", content)},
    )
    response = staff_client.post(ADD, data)

    assert response.status_code == 200
    errors = errors_of(response)
    assert "already been uploaded" in errors and "The original study" in errors
    assert Publication.objects.count() == 1
    assert LanguageVersion.objects.count() == 1
    assert stored_files(media_root) == files_before


def test_same_file_twice_in_one_form_is_refused(staff_client, media_root):
    content = make_pdf("Twice", ["Same file for two languages."])
    data = with_versions(
        publication_form(),
        {"language": "en", "file": SimpleUploadedFile("a.pdf", content)},
        {"language": "fr", "file": SimpleUploadedFile("b.pdf", content)},
    )

    response = staff_client.post(ADD, data)

    assert response.status_code == 200
    assert "also uploaded for another language" in errors_of(response)
    assert not Publication.objects.exists()


def test_clearing_the_file_of_a_version_with_a_link(
    staff_client, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = make_publication(slug="senegal", published=False)
        version = make_version(publication, "en", external_url="https://example.org/en")
    data = with_versions(
        publication_form(),
        {"id": version.pk, "language": "en", "external_url": "https://example.org/en"},
        initial=1,
    )
    data["versions-0-file-clear"] = "on"

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{CHANGELIST}{publication.pk}/change/", data)

    assert response.status_code == 302, errors_of(response)
    version.refresh_from_db()
    assert not version.file and version.checksum == "" and version.text == ""
    assert version.extraction_status == ExtractionStatus.NOT_APPLICABLE
    assert stored_files(media_root) == []


def test_a_version_needs_a_file_or_a_link(staff_client):
    response = staff_client.post(ADD, with_versions(publication_form(), {"language": "en"}))

    assert response.status_code == 200
    assert "Give a PDF file or an external link" in errors_of(response)
    assert not Publication.objects.exists()


def test_replacing_a_file_restarts_extraction_and_history_says_so(
    staff_client, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = make_publication(slug="senegal", published=False)
        version = make_version(publication, "en", text="The first edition.")
    first_file = version.file.name
    data = publication_form(title_fr="Un titre en français")
    with_versions(
        data,
        {
            "id": version.pk,
            "language": "en",
            "file": pdf_upload("The revised edition speaks of mutual insurance."),
        },
        initial=1,
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{CHANGELIST}{publication.pk}/change/", data)

    assert response.status_code == 302, errors_of(response)
    version.refresh_from_db()
    assert "revised edition" in version.text
    assert version.file.name != first_file
    assert stored_files(media_root) == [version.file.name.rsplit("/", 1)[1]]  # old one gone
    assert version.extraction_status == ExtractionStatus.DONE
    assert Publication.objects.filter(search_vector=multilingual_query("insurance")).exists()
    entry = LogEntry.objects.get(object_id=str(publication.pk), action_flag=CHANGE)
    message = entry.get_change_message()
    assert "Title [fr]" in message and "PDF file" in message


# Actions -----------------------------------------------------------------------------


def test_publish_and_unpublish_actions_are_logged(staff_client, curator):
    draft = make_publication(slug="draft", published=False)
    other = make_publication(slug="other", published=False)

    response = staff_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk, other.pk]}, follow=True
    )

    assert "2 publications published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED and draft.is_public

    staff_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [draft.pk]})

    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT
    messages = list(
        LogEntry.objects.filter(object_id=str(draft.pk))
        .order_by("action_time")
        .values_list("change_message", flat=True)
    )
    assert messages == [
        "Published with the “Publish” action.",
        "Unpublished (back to draft) with the “Unpublish” action.",
    ]
    assert LogEntry.objects.filter(user=curator, object_id=str(other.pk)).count() == 1
    history = staff_client.get(f"{CHANGELIST}{draft.pk}/history/").content.decode()
    assert "Unpublish" in history


def test_publish_action_from_the_change_form(staff_client):
    draft = make_publication(slug="draft", published=False)

    response = staff_client.post(
        f"{CHANGELIST}{draft.pk}/change/",
        {"CHANGE_FORM-action": "publish", "_selected_action": [draft.pk]},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED


# Preview -----------------------------------------------------------------------------


def test_staff_preview_a_draft(staff_client):
    draft = make_publication(slug="draft", title="A study not yet published", published=False)

    response = staff_client.get(f"{CHANGELIST}{draft.pk}/preview/")

    assert response.status_code == 200
    assert "A study not yet published" in response.content.decode()
    assert response.context["preview"] is True
    assert response.context["publication"] == draft
    assert "noindex" in response["X-Robots-Tag"]


def test_preview_is_for_staff_only(client, member):
    draft = make_publication(slug="draft", published=False)
    url = f"{CHANGELIST}{draft.pk}/preview/"

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]

    client.force_login(member)
    response = client.get(url, follow=True)
    assert response.status_code == 403
    assert "not yet published" not in response.content.decode()


def test_change_form_links_to_preview_and_public_page(staff_client):
    draft = make_publication(slug="draft", published=False)
    public = make_publication(slug="public")

    draft_page = staff_client.get(f"{CHANGELIST}{draft.pk}/change/").content.decode()
    public_page = staff_client.get(f"{CHANGELIST}{public.pk}/change/").content.decode()

    assert f"{CHANGELIST}{draft.pk}/preview/" in draft_page
    assert "/library/draft/" not in draft_page  # no "View on site" for a draft
    assert "/library/public/" in public_page


def test_preview_of_an_unknown_publication_is_404(staff_client):
    assert staff_client.get(f"{CHANGELIST}999999/preview/").status_code == 404


# Extraction in the admin -------------------------------------------------------------


def test_broken_pdf_extraction_error_is_shown(staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publication = make_publication(slug="broken", title="A damaged upload")
        version = LanguageVersion(publication=publication, language="en")
        version.set_file(SimpleUploadedFile("broken.pdf", b"%PDF-1.4\nnot really a PDF"))
        version.save()
        make_publication(slug="fine", title="A fine upload")

    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.FAILED
    assert version.extraction_error

    changelist = staff_client.get(CHANGELIST).content.decode()
    assert "could not be extracted" in changelist
    failed = staff_client.get(CHANGELIST + "?extraction=failed")
    assert [p.slug for p in failed.context["cl"].result_list] == ["broken"]
    change = staff_client.get(f"{CHANGELIST}{publication.pk}/change/").content.decode()
    assert "Failed" in change
    assert version.extraction_error.split(":")[0] in change


def test_reextract_action_requeues_extraction(
    staff_client, curator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = make_publication(slug="brazil")
        version = make_version(publication, "en", text="Solidarity finance in Brazil.")
    LanguageVersion.objects.filter(pk=version.pk).update(
        text="", extraction_status=ExtractionStatus.FAILED, extraction_error="OSError: gone"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            CHANGELIST, {"action": "reextract_text", "_selected_action": [publication.pk]}
        )

    assert response.status_code == 302
    version.refresh_from_db()
    assert version.extraction_status == ExtractionStatus.DONE
    assert version.extraction_error == ""
    assert "Solidarity finance" in version.text
    assert LogEntry.objects.filter(
        object_id=str(publication.pk), change_message="Text extraction queued again."
    ).exists()
