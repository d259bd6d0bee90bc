import pytest

from collective_brain.search import multilingual_query
from publications.models import Publication
from tests.publications.factories import make_publication, make_version


def matches(text):
    return set(
        Publication.objects.filter(search_vector=multilingual_query(text)).values_list(
            "slug", flat=True
        )
    )


@pytest.fixture
def brazil(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publication = make_publication(
            slug="brazil", title_fr="Politiques publiques au Brésil", authors=["Lima, Ana"]
        )
        make_version(
            publication, "fr", text="Les coopératives sociales transforment les territoires."
        )
    return publication


def test_index_covers_titles_metadata_and_pdf_text(brazil):
    assert matches("policies") == {"brazil"}
    assert matches("politiques") == {"brazil"}
    assert matches("Lima") == {"brazil"}
    assert matches("cooperatives sociales") == {"brazil"}  # accents optional, French stemming
    assert matches("territoire") == {"brazil"}
    assert matches("cooperatives -territoires") == set()


def test_pdf_text_is_extracted(brazil):
    version = brazil.versions.get()
    assert version.extraction_status == "done"
    assert version.page_count == 1
    assert "coopératives" in version.text
