"""The review pages: lists with CSVs, a plan, a review and its steps, the school's report."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from reviews.models import Review
from tests.advice_requests.factories import partner
from tests.cases.factories import ChildFactory, caseworker, manager

from .factories import make_plan, review_in_status, school_service

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _client(client, user):
    client.force_login(user)
    return client


def test_lists_show_due_this_month_and_download_csv(client, django_assert_max_num_queries):
    worker = caseworker()
    for day in range(1, 9):
        make_plan(start_date=datetime.date(2025, 11, day), caseworker=worker)
    make_plan(start_date=datetime.date(2025, 12, 5))
    _client(client, worker)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reviews:list"))
    assert response.status_code == 200
    assert response.content.decode().count("Testchild") == 8
    csv_response = client.get(reverse("reviews:list"), {"list": "due_this_month", "format": "csv"})
    lines = csv_response.content.decode().strip().splitlines()
    assert lines[0].startswith("Plan,Child,Date of birth")
    assert len(lines) == 9


def test_phase_transfers_listed_by_their_date(client):
    # Secondary named by 15 February 2026 (past the window); next is post-16 in 2031: not listed.
    make_plan(child=ChildFactory(date_of_birth=datetime.date(2015, 8, 31)))
    make_plan(child=ChildFactory(date_of_birth=datetime.date(2016, 3, 1)))  # secondary 2027
    response = _client(client, caseworker()).get(
        reverse("reviews:list"), {"list": "phase_transfers"}
    )
    body = response.content.decode()
    assert "15 February 2027" in body
    assert "Primary to secondary school" in body
    # (A date, not "2031" alone: a factory child can be called "Testchild2031".)
    assert "15 February 2031" not in body
    assert "15 February 2026" not in body
    assert body.count("Primary to secondary school") == 1


def test_unknown_list_is_404_and_partner_is_403(client):
    assert (
        _client(client, caseworker()).get(reverse("reviews:list"), {"list": "x"}).status_code == 404
    )
    client.logout()
    assert (
        _client(client, partner(school_service())).get(reverse("reviews:list")).status_code == 403
    )


def test_schedule_a_review_from_the_plan_page(client):
    worker = caseworker()
    plan = make_plan(caseworker=worker)
    school = school_service(name="Oak Primary (synthetic)")
    response = _client(client, worker).post(
        reverse("reviews:plan", args=[plan.pk]),
        {
            "meeting_on_0": "20",
            "meeting_on_1": "11",
            "meeting_on_2": "2026",
            "school": school.pk,
            "outcomes": "Reads aloud\nMakes a friend\n",
        },
    )
    review = Review.objects.get()
    assert response.status_code == 302
    assert review.school == school
    assert review.outcomes.count() == 2
    assert review.invitations_due == datetime.date(2026, 11, 6)


def test_schedule_with_bad_date_shows_error_summary_and_saves_nothing(client):
    plan = make_plan()
    response = _client(client, caseworker()).post(
        reverse("reviews:plan", args=[plan.pk]), {"meeting_on_0": "31", "meeting_on_1": "2"}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Review.objects.exists()


def test_step_through_the_page_and_refused_step_is_409(client):
    worker = caseworker()
    review = review_in_status("report_received", actor=worker)
    _client(client, worker)
    url = reverse("reviews:step", args=[review.pk])
    data = {
        "step": "decide_amend",
        "decide_amend-transition": "decide_amend",
        "decide_amend-expected_status": "report_received",
        "decide_amend-effective_date_0": "20",
        "decide_amend-effective_date_1": "10",
        "decide_amend-effective_date_2": "2026",
    }
    response = client.post(url, data)
    assert response.status_code == 400  # the letter date is missing
    assert "Enter the date the decision letter was sent" in response.content.decode()
    data.update(
        {
            "decide_amend-decision_letter_sent_on_0": "21",
            "decide_amend-decision_letter_sent_on_1": "10",
            "decide_amend-decision_letter_sent_on_2": "2026",
        }
    )
    assert client.post(url, data).status_code == 302
    review.refresh_from_db()
    assert review.status == "amending"
    assert client.post(url, data).status_code == 409
    page = client.get(reverse("reviews:review", args=[review.pk])).content.decode()
    assert "Send the proposed amendments" in page


def test_progress_against_outcomes(client):
    worker = caseworker()
    review = review_in_status("meeting_held", actor=worker)
    first, second = review.outcomes.all()
    response = _client(client, worker).post(
        reverse("reviews:progress", args=[review.pk]),
        {
            f"progress_{first.pk}": "achieved",
            f"evidence_{first.pk}": "Reads a book aloud to the class.",
            f"progress_{second.pk}": "partly",
            "child_attended": "on",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    review.refresh_from_db()
    assert first.progress == "achieved"
    assert review.child_attended


def test_school_writes_its_report_and_another_school_gets_404(client):
    school = school_service()
    review = review_in_status("meeting_held", school=school)
    other = partner(school_service())
    url = reverse("reviews:school-report", args=[review.pk])
    assert _client(client, other).get(url).status_code == 404
    client.logout()
    member = partner(school)
    _client(client, member)
    inbox = client.get(reverse("reviews:school")).content.decode()
    assert review.plan.child.full_name in inbox
    assert client.post(url, {"report_text": "", "report_by": ""}).status_code == 400
    response = client.post(
        url, {"report_text": "Progress (synthetic).", "report_by": "Ms Head, SENCo"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "report_received"
    assert review.report_by == "Ms Head, SENCo"


def test_measures_for_managers_only(client):
    worker = caseworker()
    review = review_in_status("meeting_held", actor=worker)  # child's views given
    assert review.child_views_given
    assert _client(client, worker).get(reverse("reviews:measures")).status_code == 403
    client.logout()
    _client(client, manager())
    page = client.get(reverse("reviews:measures")).content.decode()
    assert "100%" in page
    listed = client.get(reverse("reviews:measure", args=["child_contributed"])).content.decode()
    assert review.plan.reference in listed


def test_import_page(client):
    _client(client, manager())
    csv_file = (
        b"child_first_name,child_last_name,date_of_birth,plan_start_date,primary_need\n"
        b"Ada,Example,2014-08-31,2021-03-01,ASD\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    response = client.post(
        reverse("reviews:import"), {"plans": SimpleUploadedFile("p.csv", csv_file, "text/csv")}
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("reviews:import"),
        {"plans": SimpleUploadedFile("p.csv", csv_file.replace(b"ASD", b"NSA"), "text/csv")},
    )
    assert bad.status_code == 400
    assert "row 2, column primary_need" in bad.content.decode()
