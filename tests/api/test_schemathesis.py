"""Schemathesis against /api/schema/, in process (WSGI), as a caseworker and as a manager:
no 5xx, and every response conforms to the documented schema. Bounded so `make test` stays fast."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from cases.exception_services import exception_propose
from cases.models import Case, ParentCarer
from cases.roles import Role
from panels.models import Agency, AgendaItem, ItemSource, MeetingStatus, PanelType
from reviews.services import active_plan_create, review_schedule, review_transition
from tests.advice_requests.factories import PartnerServiceFactory, advice_in_status
from tests.cases.factories import ChildFactory, UserFactory, caseworker, make_case, manager
from tests.notifications.factories import notification_for
from tests.panels.factories import PanelFactory, add_member, meeting

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 25
#: The access tests (partner, panel member, manager) ask only who sees what: fewer examples
#: per operation reach every route and keep the suite quick; the caseworker's run keeps 25.
ACCESS_EXAMPLES = 8


@pytest.fixture
def api_schema(db):
    """The app in process. As django.test.Client does, keep each request from closing the
    test's database connection (which holds the test transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


#: Path parameters that name no record, so the 404s are exercised too.
MISSING = {
    "reference": "EHC-1999-99999",
    "exception_id": 999_999,
    "panel_id": 999_999,
    "meeting_id": 999_999,
    "item_id": 999_999,
    "advice_request_id": 999_999,
    "notification_id": 999_999,
    "parent_carer_id": 999_999,
    "service_id": 999_999,
    "plan_id": 999_999,
    "review_id": 999_999,
}


def _token_headers(user):
    """A token for the user, and real records for the generated calls to reach: without them
    every generated reference would be a 404 and the success responses never checked."""
    author = caseworker()
    today = timezone.localdate()
    references, exception_ids = [MISSING["reference"]], [MISSING["exception_id"]]
    parent_carer_ids = [MISSING["parent_carer_id"]]
    for days in (3, 45, 90):
        case = make_case(
            actor=author, received_on=today - datetime.timedelta(days=days), today=today
        )
        references.append(case.reference)
        parent_carer_ids.append(
            ParentCarer.objects.create(
                child=case.child, name="Synthetic Parent", email="parent@example.com"
            ).pk
        )
        exception_ids.append(
            exception_propose(
                actor=author,
                case=case,
                ground="exceptional_personal_circumstances",
                starts_on=case.received_on,
                notes="Synthetic evidence.",
            ).pk
        )
    advice_ids = [MISSING["advice_request_id"]]
    advice_ids += [advice_in_status(status).pk for status in ("requested", "submitted")]
    panel_ids, meeting_ids, item_ids = _panel_records(today)
    notification_ids = [MISSING["notification_id"]]
    notification_ids += [notification_for(user, number=n).pk for n in (1, 2)]
    service_ids = [MISSING["service_id"], PartnerServiceFactory().pk]
    plan_ids, review_ids = _review_records(author, today)
    token, _ = Token.objects.get_or_create(user=user)
    return {
        "headers": {"Authorization": f"Token {token.key}"},
        "path": {
            "reference": st.sampled_from(references),
            "exception_id": st.sampled_from(exception_ids),
            "advice_request_id": st.sampled_from(advice_ids),
            "panel_id": st.sampled_from([MISSING["panel_id"], *panel_ids]),
            "meeting_id": st.sampled_from([MISSING["meeting_id"], *meeting_ids]),
            "item_id": st.sampled_from([MISSING["item_id"], *item_ids]),
            "notification_id": st.sampled_from(notification_ids),
            "parent_carer_id": st.sampled_from(parent_carer_ids),
            "service_id": st.sampled_from(service_ids),
            "plan_id": st.sampled_from([MISSING["plan_id"], *plan_ids]),
            "review_id": st.sampled_from([MISSING["review_id"], *review_ids]),
        },
    }


def _review_records(author, today):
    """Two active plans, one with a review whose meeting is held (issue 17)."""
    plans = [
        active_plan_create(
            actor=author,
            child=ChildFactory(),
            start_date=today - datetime.timedelta(days=days),
            primary_need="SLCN",
        )
        for days in (200, 380)
    ]
    review = review_schedule(actor=author, plan=plans[1], meeting_on=today)
    review = review_transition(actor=author, review=review, transition="send_invitations")
    review = review_transition(actor=author, review=review, transition="hold_meeting")
    return [plan.pk for plan in plans], [review.pk]


def _panel_records(today):
    """A NAP meeting today (published, an item to decide) and next week's (an agenda to edit)."""
    panel = PanelFactory(panel_type=PanelType.NAP)
    add_member(panel, Agency.EDUCATION)
    held = meeting(panel, today, status=MeetingStatus.PUBLISHED)
    upcoming = meeting(panel, today + datetime.timedelta(days=7))
    items = []
    for position, target in enumerate((held, upcoming, upcoming), start=1):
        case = make_case(
            received_on=today - datetime.timedelta(days=20 + position),
            child=ChildFactory(date_of_birth=datetime.date(2015, 1, 1)),
            today=today,
        )
        items.append(
            AgendaItem.objects.create(
                meeting=target, case=case, position=position, source=ItemSource.BUILT
            ).pk
        )
    return [panel.pk], [held.pk, upcoming.pk], items


@pytest.fixture
def caseworker_headers(db):
    return _token_headers(caseworker())


@pytest.fixture
def manager_headers(db):
    return _token_headers(manager())


BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _references_in(body) -> set[str]:
    """Every case reference anywhere in a JSON body."""
    found = set()
    if isinstance(body, dict):
        for key, value in body.items():
            if key == "reference" and isinstance(value, str):
                found.add(value)
            found |= _references_in(value)
    elif isinstance(body, list):
        for item in body:
            found |= _references_in(item)
    return found


def _exercise(schema, caller, *, reached_required=True, returned=None, max_examples=MAX_EXAMPLES):
    """Every documented operation, with generated (valid) inputs and path parameters drawn
    from real records. schemathesis's pytest plugin does not run under pytest 9 yet, so its
    Python API drives hypothesis here directly (decision 0012)."""
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6  # the case API at least
    statuses = []
    for operation in operations:

        @settings(BOUNDED, max_examples=max_examples)
        @given(case=operation.as_strategy(), data=st.data())
        def call(case, data):
            for name in case.path_parameters or {}:
                # Parameters drawn from real records where the caller has them; any other
                # (a newer route's) keeps the value generated from the schema (most likely 404).
                if name in caller["path"]:
                    case.path_parameters[name] = data.draw(caller["path"][name])
            response = case.call_and_validate(headers=caller["headers"], checks=CHECKS)
            statuses.append((case.operation.path, response.status_code))
            if returned is not None and response.status_code < 300 and response.content:
                returned.update(_references_in(response.json()))

        call()
    # The success responses were reached and checked, not only the errors. (A transition's 200
    # is the same case body as the detail's 200, checked here on every GET of a case.)
    reached = {(path, status) for path, status in statuses if status < 300}
    if not reached_required:
        return statuses
    assert {
        ("/api/cases/", 200),
        ("/api/cases/", 201),
        ("/api/cases/{reference}/", 200),
        ("/api/cases/{reference}/history/", 200),
        ("/api/cases/{reference}/exceptions/", 201),
        ("/api/advice-requests/", 200),
        ("/api/advice-requests/{advice_request_id}/", 200),
        ("/api/advice-requests/{advice_request_id}/document/", 200),
        ("/api/panels/", 200),
        ("/api/panels/{panel_id}/meetings/", 200),
        ("/api/meetings/{meeting_id}/agenda/", 200),
        ("/api/notifications/", 200),
        ("/api/notifications/{notification_id}/read/", 200),
    } <= reached, sorted(set(statuses))


def test_api_conforms_for_a_caseworker(api_schema, caseworker_headers):
    _exercise(api_schema, caseworker_headers)


def test_api_conforms_for_a_manager(api_schema, manager_headers):
    _exercise(api_schema, manager_headers, max_examples=ACCESS_EXAMPLES)


@pytest.fixture
def partner_headers(db):
    return _token_headers(UserFactory(roles=[Role.PARTNER]))


@pytest.fixture
def panel_member_headers(db):
    return _token_headers(UserFactory(roles=[Role.PANEL_MEMBER]))


def test_api_with_a_partners_token_returns_no_case(api_schema, partner_headers):
    """Section 8: a partner sees advice requests addressed to them, never the case API."""
    returned = set()
    statuses = _exercise(
        api_schema,
        partner_headers,
        reached_required=False,
        returned=returned,
        max_examples=ACCESS_EXAMPLES,
    )
    assert returned == set()
    assert {status for path, status in statuses if path.startswith("/api/cases/")} <= {
        400,
        403,
        404,
    }


def test_api_with_a_panel_members_token_returns_only_what_they_may_see(
    api_schema, panel_member_headers
):
    """Section 8: a panel member sees the cases on their panels' agendas (none here)."""
    member = Token.objects.get(key=panel_member_headers["headers"]["Authorization"][6:]).user
    visible = set(Case.objects.visible_to(member).values_list("reference", flat=True))
    returned = set()
    _exercise(
        api_schema,
        panel_member_headers,
        reached_required=False,
        returned=returned,
        max_examples=ACCESS_EXAMPLES,
    )
    assert returned <= visible
    assert Case.objects.exclude(reference__in=visible).exists()
