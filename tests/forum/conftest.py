import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from accounts.models import MODERATORS_GROUP
from forum import services
from forum.models import Access, Category
from tests.academies.factories import enrol, make_edition


@pytest.fixture(autouse=True)
def _english():
    """reverse() and messages in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def edition(db):
    return make_edition("Madrid", "ES", number=11, slug="11-madrid")


@pytest.fixture
def public(db):
    return Category.objects.create(slug="welcome", name_en="Welcome", name_fr="Bienvenue", order=1)


@pytest.fixture
def cohort(edition):
    category = Category.objects.create(
        slug="madrid-cohort", name_en="Madrid cohort", access=Access.COHORT, order=2
    )
    category.editions.add(edition)
    return category


@pytest.fixture
def staff_only(db):
    return Category.objects.create(
        slug="staff-room", name_en="Staff room", access=Access.STAFF, order=3
    )


@pytest.fixture
def participant(make_member, edition):
    user = make_member("lucia", display_name="Lucía Fernández")
    enrol(user, edition)
    return user


@pytest.fixture
def outsider(make_member):
    return make_member("outsider", display_name="Out Sider")


@pytest.fixture
def moderator(make_member):
    user = make_member("marco", display_name="Marco Rossi")
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user


@pytest.fixture
def make_topic():
    def make(category, author, title="A topic", body="First post", language="en", replies=0):
        topic = services.topic_create(
            category=category, author=author, title=title, body=body, language=language
        )
        for number in range(replies):
            services.post_create(
                topic=topic, author=author, body=f"Reply {number + 1}", language=language
            )
        topic.refresh_from_db()
        return topic

    return make
