"""ASVS 2.8 / 6.4: an administrator never sees a user's authenticator secret; django-otp's
admin pages that would show it answer 403 (and an unknown device id is not a server error)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.cases.factories import UserFactory, caseworker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["otp_totp_totpdevice_config", "otp_totp_totpdevice_qrcode"])
def test_the_admin_never_shows_a_totp_secret(client, page):
    device = TOTPDevice.objects.create(user=caseworker(), name="phone", confirmed=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for pk in (device.pk, device.pk + 1000):
        response = client.get(reverse(f"admin:{page}", args=[pk]))
        assert response.status_code == 403
        assert device.key not in response.content.decode()
