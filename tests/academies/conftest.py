import pytest
from allauth.mfa.models import Authenticator

from tests.academies.factories import make_edition

# The browser journey of this app uses the browser suite's Chromium, live server and axe.
from tests.browser.conftest import axe, browser_type_launch_args, site  # noqa: F401


@pytest.fixture
def madrid(db):
    return make_edition("Madrid", "ES", number=11, slug="11-madrid")


@pytest.fixture
def seoul(db):
    return make_edition("Seoul", "KR", number=8, slug="8-seoul")


@pytest.fixture
def curator(make_member):
    """Staff with every permission and two-factor authentication, so the admin opens."""
    user = make_member("curator", is_staff=True, is_superuser=True, display_name="Joana Silva")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user
