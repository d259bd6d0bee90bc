from django.db import connection
from django.test.utils import CaptureQueriesContext

from publications.services import publication_set_status
from tests.publications.factories import make_publication


def titles(client, query="cooperatives"):
    response = client.get("/en/library/", {"q": query})
    assert response.status_code == 200
    return [publication.title for publication in response.context["search"].page.object_list]


def test_repeated_searches_are_served_from_the_cache(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_publication(slug="one", title="Cooperatives in Brazil")
    titles(client)

    with CaptureQueriesContext(connection) as queries:
        assert titles(client) == ["Cooperatives in Brazil"]

    assert len(queries) <= 1  # no facet, count or result query


def test_any_change_to_the_library_shows_at_once(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_publication(slug="one", title="Cooperatives in Brazil")
        draft = make_publication(slug="two", title="Cooperatives in Italy", published=False)
    assert titles(client) == ["Cooperatives in Brazil"]

    with django_capture_on_commit_callbacks(execute=True):
        publication_set_status(publication=draft, status="published")

    assert sorted(titles(client)) == ["Cooperatives in Brazil", "Cooperatives in Italy"]
