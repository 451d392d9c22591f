import pytest

from .factories import PartnerServiceFactory, advice_in_status

pytestmark = pytest.mark.django_db


def test_admin_lists_advice_and_never_offers_to_edit_it(admin_client):
    advice = advice_in_status("submitted", service=PartnerServiceFactory(name="Synthetic SALT"))
    page = admin_client.get("/admin/advice_requests/advicerequest/")
    assert page.status_code == 200
    assert "Synthetic SALT" in page.content.decode()
    detail = admin_client.get(f"/admin/advice_requests/advicerequest/{advice.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert admin_client.get("/admin/advice_requests/accesslog/add/").status_code == 403
