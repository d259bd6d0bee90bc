import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from academies.models import Edition


def make_editions(count, start=1):
    Edition.objects.bulk_create(
        Edition(number=n, slug=f"e-{n}", city=f"City {n}", country="IT", year=2000 + n)
        for n in range(start, start + count)
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_home_queries_do_not_grow_with_data(client, member, signed_in):
    if signed_in:
        client.force_login(member)
    make_editions(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/en/").status_code == 200
    make_editions(40, start=3)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/en/").status_code == 200

    assert len(many) == len(few)
    assert len(many) <= 8
