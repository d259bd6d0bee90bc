import pytest
from allauth.mfa.models import Authenticator


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and generated files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def curator(make_member):
    """A staff member with two-factor authentication, as the admin requires."""
    user = make_member("curator", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


@pytest.fixture
def staff_client(client, curator):
    client.force_login(curator)
    return client
