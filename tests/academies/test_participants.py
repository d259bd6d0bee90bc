"""Participants: who sees whom, the directory and its filters, the edition's people."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from academies import selectors
from academies.filters import ParticipantFilter
from academies.models import Participation
from accounts.models import DirectoryVisibility
from tests.academies.factories import enrol, make_edition

DIRECTORY = "/en/academy/participants/"


@pytest.fixture
def lucia(make_member, madrid):
    user = make_member("lucia", display_name="Lucía Fernández", country="ES",
                       organisation="Cooperativa Tejiendo Redes", languages_spoken=["es", "pt"])  # fmt: skip
    enrol(user, madrid)
    return user


class TestDirectoryAccess:
    def test_visitors_are_sent_to_sign_in(self, client, db):
        response = client.get(DIRECTORY)

        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")

    def test_members_without_an_edition_get_a_translated_403(self, client, member):
        client.force_login(member)

        response = client.get("/fr/academy/participants/")

        assert response.status_code == 403
        assert 'lang="fr"' in response.content.decode()
        assert "academies/participants_only.html" in [t.name for t in response.templates]

    def test_participants_and_staff_open_it(self, client, lucia, make_member):
        client.force_login(lucia)
        assert client.get(DIRECTORY).status_code == 200
        client.force_login(make_member("staff", is_staff=True))
        assert client.get(DIRECTORY).status_code == 200

    def test_removing_the_participation_closes_the_directory(self, client, lucia):
        client.force_login(lucia)
        Participation.objects.filter(user=lucia).delete()

        assert client.get(DIRECTORY).status_code == 403


class TestDirectory:
    @pytest.fixture
    def people(self, make_member, madrid, seoul):
        kwame = make_member("kwame", display_name="Kwame Mensah", country="GH",
                            organisation="Ghana Cooperative Council", languages_spoken=["en", "fr"])  # fmt: skip
        jiwoo = make_member("jiwoo", display_name="Ji-woo Park", country="KR",
                            organisation="Seoul Social Economy Network", languages_spoken=["ko"])  # fmt: skip
        jose = make_member("jose", display_name="José Núñez", country="MX", organisation="Unión")
        awa = make_member("awa", first_name="Awa", last_name="Ndiaye", country="SN",
                          organisation="Coopérative des Femmes de Thiès")  # fmt: skip
        enrol(kwame, madrid, role="facilitator")
        enrol(jiwoo, seoul, role="organiser")
        enrol(jiwoo, madrid)
        enrol(jose, seoul)
        enrol(awa, seoul)
        return {"kwame": kwame, "jiwoo": jiwoo, "jose": jose, "awa": awa}

    def names(self, client, query=""):
        response = client.get(DIRECTORY + query)
        assert response.status_code == 200
        return {member.username for member in response.context["members"]}

    def test_lists_participants_only(self, client, lucia, people, member):
        client.force_login(lucia)

        assert self.names(client) == {"lucia", "kwame", "jiwoo", "jose", "awa"}  # not "member"

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("?q=kwame", {"kwame"}),
            ("?q=social+economy", {"jiwoo"}),
            ("?q=jose+nunez", {"jose"}),  # accents do not matter
            ("?q=JOSÉ", {"jose"}),  # nor case
            ("?q=coop", {"lucia", "kwame", "awa"}),  # "Coopérative des Femmes…" too
            ("?q=coopérative+femmes", {"awa"}),  # every word, accents in the query too
            ("?q=ndiaye+thies", {"awa"}),  # words from different fields
            ("?q=mensah+seoul", set()),
            ("?q=%25", set()),  # LIKE wildcards are plain characters
            ("?q=_", set()),
            ("?country=KR", {"jiwoo"}),
            ("?region=africa", {"kwame", "awa"}),
            ("?region=americas", {"jose"}),
            ("?language=fr", {"kwame"}),
            ("?role=organiser", {"jiwoo"}),
            ("?role=participant", {"lucia", "jiwoo", "jose", "awa"}),
        ],
    )
    def test_search_and_filters(self, client, lucia, people, query, expected):
        client.force_login(lucia)

        assert self.names(client, query) == expected

    def test_edition_and_role_filter_together(self, client, lucia, people, madrid, seoul):
        client.force_login(lucia)

        # Ji-woo organised Seoul but was a participant in Madrid.
        assert self.names(client, f"?edition={madrid.pk}&role=organiser") == set()
        assert self.names(client, f"?edition={seoul.pk}&role=organiser") == {"jiwoo"}
        assert self.names(client, f"?edition={madrid.pk}") == {"lucia", "kwame", "jiwoo"}

    @pytest.mark.parametrize(
        "query",
        ["?edition=abc", "?edition=999999", "?country=XX", "?role=king", "?region=mars",
         "?language=klingon", "?page=abc", "?page=999", "?q=" + "x" * 500, "?q=%00"],
    )  # fmt: skip
    def test_odd_query_strings_get_a_clear_answer(self, client, lucia, query):
        client.force_login(lucia)

        response = client.get(DIRECTORY + query)

        assert response.status_code in {200, 400, 404}

    def test_pagination_keeps_the_filters(self, client, lucia, make_member, madrid):
        for number in range(30):
            enrol(make_member(f"p{number}", country="ES"), madrid)
        client.force_login(lucia)

        html = client.get(DIRECTORY + "?country=ES").content.decode()

        assert "?country=ES&amp;page=2" in html


class TestSearchIndex:
    """The directory's search is served by the trigram index of migration accounts 0003."""

    @pytest.fixture
    def crowd(self, lucia, madrid):
        # Rows inserted in the test's transaction wait in the GIN index's pending list (only a
        # VACUUM, impossible here, would merge them), which makes the planner shun the index
        # at any size: sequential scans are switched off so the plan shows which index fits.
        User = get_user_model()
        users = User.objects.bulk_create(
            User(username=f"crowd{n}", email=f"crowd{n}@example.org",
                 display_name=f"Person {n:04d}", organisation=f"Organisation {n % 97}")
            for n in range(3000)
        )  # fmt: skip
        Participation.objects.bulk_create(Participation(user=u, edition=madrid) for u in users)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE accounts_user, academies_participation")
        return users

    def plan(self, queryset):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())

    def test_the_search_uses_the_index(self, crowd, lucia):
        members = selectors.directory_members(viewer=lucia)

        plan = self.plan(ParticipantFilter({"q": "Fernández"}, queryset=members).qs)

        assert "accounts_user_search_trgm" in plan, plan

    def test_the_index_is_used_for_every_word(self, crowd, lucia):
        members = get_user_model().objects.all()

        plan = self.plan(ParticipantFilter({"q": "lucía tejiendo"}, queryset=members).qs)

        assert "Bitmap Index Scan on accounts_user_search_trgm" in plan
        assert "'%lucia%'" in plan and "'%tejiendo%'" in plan  # folded before the scan

    def test_the_indexed_search_finds_people_among_many(self, client, crowd, lucia):
        client.force_login(lucia)

        response = client.get(DIRECTORY + "?q=TEJIENDO+fernandez")

        assert [member.username for member in response.context["members"]] == ["lucia"]


class TestVisibility:
    def test_cohort_profiles_are_only_listed_for_fellow_participants(
        self, client, make_member, madrid, seoul, lucia
    ):
        private = make_member("private", display_name="Private Person",
                              directory_visibility=DirectoryVisibility.COHORT)  # fmt: skip
        enrol(private, seoul)
        fellow = make_member("fellow")
        enrol(fellow, seoul)

        client.force_login(lucia)  # Madrid only
        assert "Private Person" not in client.get(DIRECTORY).content.decode()
        client.force_login(fellow)
        assert "Private Person" in client.get(DIRECTORY).content.decode()

    def test_a_hidden_profile_appears_nowhere(self, client, make_member, madrid, seoul, lucia):
        """A member visible to "participants of my editions" only, seen by a participant of
        another edition: not in the directory, its search, the profile URL, nor any edition's
        list of people."""
        hidden = make_member("hidden", display_name="Zanele Hidden", organisation="Secret Coop",
                             directory_visibility=DirectoryVisibility.COHORT)  # fmt: skip
        enrol(hidden, seoul)
        enrol(lucia, seoul)  # now Lucía shares Seoul with the hidden member…
        Participation.objects.filter(user=lucia, edition=seoul).delete()  # …and no longer does
        client.force_login(lucia)

        pages = [
            client.get(DIRECTORY),
            client.get(DIRECTORY + "?q=Zanele"),
            client.get(DIRECTORY + "?q=Secret"),
            client.get(DIRECTORY + f"?edition={seoul.pk}"),
            client.get("/en/academy/11-madrid/"),
            client.get("/en/academy/8-seoul/"),
            client.get("/en/academy/"),
            client.get("/en/search/?q=Zanele"),
        ]
        for response in pages:
            html = response.content.decode()
            assert "Zanele Hidden" not in html
            assert "Secret Coop" not in html and "/members/hidden/" not in html
        assert client.get("/en/members/hidden/").status_code == 404
        assert client.get("/en/members/hidden/contact/").status_code == 404
        client.logout()
        assert client.get("/en/members/hidden/").status_code == 404

    def test_inactive_members_are_not_listed(self, client, make_member, madrid, lucia):
        gone = make_member("gone", display_name="Gone Member",
                           directory_visibility=DirectoryVisibility.EVERYONE)  # fmt: skip
        enrol(gone, madrid)
        gone.is_active = False
        gone.save()
        client.force_login(lucia)

        assert "Gone Member" not in client.get(DIRECTORY).content.decode()
        assert "Gone Member" not in client.get("/en/academy/11-madrid/").content.decode()


class TestEditionPeople:
    def test_only_the_editions_participants_and_staff_see_its_people(
        self, client, make_member, madrid, seoul, lucia
    ):
        outsider = make_member("outsider")
        other_edition = make_member("seoulite")
        enrol(other_edition, seoul)

        for viewer, sees in [(None, False), (outsider, False), (other_edition, False),
                             (lucia, True), (make_member("staff", is_staff=True), True)]:  # fmt: skip
            if viewer:
                client.force_login(viewer)
            else:
                client.logout()
            html = client.get("/en/academy/11-madrid/").content.decode()
            assert ("Lucía Fernández" in html) is sees, viewer

    def test_profile_page_lists_editions_attended(self, client, lucia, member, madrid):
        client.force_login(member)

        html = client.get(lucia.get_absolute_url()).content.decode()

        assert "SSE Academy Madrid" in html and "Participant" in html
        assert f"/en/members/{lucia.username}/contact/" in html


class TestSelectors:
    def test_editions_of_and_participation(self, lucia, madrid, seoul, member):
        from django.contrib.auth.models import AnonymousUser

        assert list(selectors.editions_of(lucia)) == [madrid]
        assert selectors.user_participates_in(lucia, madrid)
        assert not selectors.user_participates_in(lucia, seoul)
        assert not selectors.user_participates_in(AnonymousUser(), madrid)
        assert list(selectors.editions_of(AnonymousUser())) == []
        assert not selectors.can_use_directory(member)
        Participation.objects.filter(user=lucia).delete()
        assert not selectors.user_participates_in(lucia, madrid)
        assert list(selectors.editions_of(lucia)) == []


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _add_people(make_member, editions, count, start=0):
    for number in range(start, start + count):
        user = make_member(f"person{number}", country=["ES", "KR", "SN"][number % 3],
                           languages_spoken=["es", "en"],
                           directory_visibility=[DirectoryVisibility.MEMBERS,
                                                 DirectoryVisibility.COHORT][number % 2])  # fmt: skip
        for edition in editions:
            enrol(user, edition, role=["participant", "facilitator"][number % 2])


class TestQueryCounts:
    def test_directory_does_not_grow_with_the_participants(
        self, client, lucia, madrid, seoul, make_member
    ):
        client.force_login(lucia)
        _add_people(make_member, [madrid, seoul], 3)
        few = _queries(client, DIRECTORY)
        _add_people(make_member, [madrid, seoul], 27, start=3)
        many = _queries(client, DIRECTORY)

        assert many == few

    def test_searched_and_filtered_directory_does_not_grow(
        self, client, lucia, madrid, seoul, make_member
    ):
        client.force_login(lucia)
        url = DIRECTORY + f"?q=person&country=ES&edition={madrid.pk}&role=participant"
        _add_people(make_member, [madrid, seoul], 6)
        few = _queries(client, url)
        _add_people(make_member, [madrid, seoul], 30, start=6)
        many = _queries(client, url)

        assert many == few

    def test_edition_page_does_not_grow_with_the_participants(
        self, client, lucia, madrid, make_member
    ):
        client.force_login(lucia)
        _add_people(make_member, [madrid], 3)
        few = _queries(client, "/en/academy/11-madrid/")
        _add_people(make_member, [madrid], 27, start=3)
        many = _queries(client, "/en/academy/11-madrid/")

        assert many == few

    def test_academy_page_does_not_grow_with_editions_or_people(self, client, db, make_member):
        editions = [make_edition(f"City {n}", "ES", number=n) for n in range(1, 4)]
        _add_people(make_member, editions, 3)
        few = _queries(client, "/en/academy/")
        editions += [make_edition(f"City {n}", "KR", number=n) for n in range(4, 12)]
        _add_people(make_member, editions, 27, start=3)
        many = _queries(client, "/en/academy/")

        assert many == few
