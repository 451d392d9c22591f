import pytest

from demo.borough import seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_demo(client):
    import datetime

    seed_demo(cases=10, today=datetime.date(2026, 11, 23))
    client.login(username="demo.admin", password="ehc-demo-2026")
    return client


def test_admin_lists_cases_with_due_dates(admin_client_demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = admin_client_demo.get("/admin/cases/case/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "EHC-20" in body
    assert "Final plan due" in body


def test_admin_cannot_add_or_change_a_case(admin_client_demo):
    from cases.models import Case

    case = Case.objects.first()
    assert admin_client_demo.get("/admin/cases/case/add/").status_code == 403
    page = admin_client_demo.get(f"/admin/cases/case/{case.pk}/change/")
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    response = admin_client_demo.post(f"/admin/cases/case/{case.pk}/change/", {"status": "x"})
    assert response.status_code == 403
