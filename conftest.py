import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

PASSWORD = "a-Long-test-passphrase-42"


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def make_member(db):
    """Create a member with a verified primary e-mail address."""

    def make(username="member", **fields):
        fields.setdefault("email", f"{username}@example.org")
        user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def member(make_member):
    return make_member("member", display_name="Amina Diallo")


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached fragments must not leak between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default():
    """A request in another language leaves it active in the thread: start each test in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
