"""`manage.py generate_data`: bulk, marked, searchable benchmark publications.

Runs are additive (each appends N publications numbered after the last generated one);
--replace deletes the earlier generated publications first and never touches the others.
"""

import io

import pytest
from django.core.management import call_command

from collective_brain.search import multilingual_query
from publications.models import LanguageVersion, Publication, SearchTerm
from publications.services import publication_index
from tests.publications.factories import make_publication

LANGUAGES = ["en", "fr", "es", "pt", "it"]


def generate(count, **options):
    output = io.StringIO()
    call_command("generate_data", publications=count, stdout=output, **options)
    return output.getvalue()


def generated():
    return Publication.objects.filter(slug__startswith="generated-")


@pytest.fixture
def fifty(db):
    return generate(50, batch=20, seed=7)


def test_generates_published_translated_publications_with_versions(fifty):
    assert "Generated 50 publications" in fifty
    publications = list(generated().prefetch_related("versions", "themes", "authors"))
    assert len(publications) == 50
    assert Publication.objects.published().filter(slug__startswith="generated-").count() == 50
    for publication in publications:
        assert publication.is_public
        assert publication.type_id
        assert publication.search_vector
        for language in LANGUAGES:
            assert getattr(publication, f"title_{language}")
            assert getattr(publication, f"summary_{language}")
        assert publication.title_fr != publication.title_en
        assert publication.themes.all()
        assert publication.authors.all()
        versions = publication.versions.all()
        assert 1 <= len(versions) <= 3
        for version in versions:
            assert not version.file
            assert version.external_url == (
                f"https://example.org/docs/{publication.slug}-{version.language}.pdf"
            )
            assert version.extraction_status == "done"
            assert 1000 <= len(version.text) <= 6000
            assert version.checksum == ""
    assert {version.language for version in LanguageVersion.objects.all()} <= set(LANGUAGES)
    assert generated().exclude(countries=[]).exists()
    assert generated().exclude(regions=[]).exists()


def test_bulk_vectors_equal_the_ones_publication_index_computes(fifty):
    for publication in generated().order_by("?")[:10]:
        bulk = publication.search_vector
        publication_index(publication=publication)
        publication.refresh_from_db()
        assert publication.search_vector == bulk


def test_generated_publications_are_searchable(fifty):
    assert LanguageVersion.objects.filter(language="fr").exists()
    matches = Publication.objects.filter(search_vector=multilingual_query("coopératives"))
    assert matches.filter(slug__startswith="generated-").exists()
    words = set(generated().values_list("title_en", flat=True)[0].lower().split())
    assert SearchTerm.objects.filter(word__in=words).exists()


def test_runs_are_additive_and_replace_removes_only_generated_ones(db):
    curated = make_publication(slug="curated", title="Cooperatives in Senegal")

    generate(10, seed=1)
    first = dict(generated().values_list("slug", "title_en"))
    generate(10, seed=1)

    slugs = sorted(generated().values_list("slug", flat=True))
    assert slugs == [f"generated-{number:06d}" for number in range(1, 21)]
    assert dict(generated().filter(slug__in=first).values_list("slug", "title_en")) == first

    generate(10, seed=1, replace=True)

    assert dict(generated().values_list("slug", "title_en")) == first  # same seed, same start
    assert Publication.objects.filter(pk=curated.pk).exists()


def test_zero_is_a_no_op(db):
    assert "Generated 0 publications" in generate(0)
    assert not generated().exists()
