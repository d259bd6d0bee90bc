import pytest
from allauth.mfa.models import Authenticator


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def curator(make_member):
    """Staff with every permission and two-factor authentication, so the admin opens."""
    user = make_member("curator", is_staff=True, is_superuser=True, display_name="Joana Silva")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


@pytest.fixture
def staff_client(client, curator):
    client.force_login(curator)
    return client
