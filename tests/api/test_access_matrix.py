"""Who may call which API route (ehc-process.md section 8), generated from the URLconf: a new
route under /api/ without a rule here fails, so access is decided before a route ships."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases.exception_services import exception_propose
from panels.models import Agency, AgendaItem, ItemSource, MeetingStatus, PanelType
from reviews.services import active_plan_create, review_schedule, review_transition
from tests.advice_requests.factories import SUMMARY, advice_in_status, upload
from tests.cases.factories import ChildFactory, caseworker, make_case
from tests.notifications.factories import notification_for
from tests.panels.factories import PanelFactory, add_member, meeting

from .conftest import CALLERS, client_for, make_caller

SEES_ALL = ("caseworker", "manager", "superuser")


def _rule(*, anonymous=401, no_role=403, partner=403, panel=404, sees_all=200, **overrides):
    """Defaults: partners and users without a role are refused the case area (403); panel
    members and chairs see only cases on agendas of panels they sit on, and the callers here
    sit on no panel (404)."""
    rule = {
        "anonymous": anonymous,
        "no_role": no_role,
        "partner": partner,
        "panel_member": panel,
        "panel_chair": panel,
        **dict.fromkeys(SEES_ALL, sees_all),
    }
    rule.update(overrides)
    return rule


PUBLIC = dict.fromkeys(CALLERS, 200)
#: Every signed-in user has an inbox (issue 6); a notification of someone else's is 404.
OWN_INBOX = {**dict.fromkeys(CALLERS, 200), "anonymous": 401}
SOMEONE_ELSES = {**dict.fromkeys(CALLERS, 404), "anonymous": 401}

#: (url name, method) -> caller -> expected status.
EXPECTED = {
    ("api:schema", "GET"): PUBLIC,
    ("api:docs", "GET"): PUBLIC,
    ("api:case-list", "GET"): _rule(panel=200),
    ("api:case-list", "POST"): _rule(panel=403, sees_all=201),
    ("api:case-detail", "GET"): _rule(),
    ("api:case-transition", "POST"): _rule(),
    ("api:case-history", "GET"): _rule(),
    ("api:case-exception-propose", "POST"): _rule(sees_all=201),
    ("api:case-exception-agree", "POST"): _rule(caseworker=403),
    # Advice (docs/api.md): partners see only their current services' requests (the matrix's
    # partner belongs to no service: an empty list, 404 on a request); panel roles and users
    # without a role are refused the advice area (403).
    ("api:advice-request-list", "GET"): _rule(partner=200, panel=403),
    ("api:advice-request-detail", "GET"): _rule(partner=404, panel=403),
    ("api:advice-request-transition", "POST"): _rule(partner=404, panel=403),
    ("api:advice-request-submission", "POST"): _rule(
        partner=404, panel=403, caseworker=403, manager=403, superuser=201
    ),
    ("api:advice-request-document", "GET"): _rule(partner=404, panel=403),
    # Panels: callers with a panel role sit on no panel here (404 on its meetings); only the
    # chair or a manager changes an agenda (caseworkers 403).
    ("api:panel-list", "GET"): _rule(panel=200),
    ("api:panel-meetings", "GET"): _rule(),
    ("api:meeting-agenda", "GET"): _rule(),
    ("api:meeting-agenda-build", "POST"): _rule(caseworker=403),
    ("api:meeting-agenda-add", "POST"): _rule(caseworker=403, sees_all=201),
    ("api:meeting-agenda-reorder", "POST"): _rule(caseworker=403),
    ("api:meeting-publish", "POST"): _rule(caseworker=403),
    ("api:meeting-attendance", "POST"): _rule(caseworker=403),
    ("api:agenda-item-remove", "POST"): _rule(caseworker=403),
    ("api:agenda-item-outcome", "POST"): _rule(caseworker=403),
    ("api:notification-list", "GET"): OWN_INBOX,
    ("api:notification-read-all", "POST"): OWN_INBOX,
    ("api:notification-read", "POST"): SOMEONE_ELSES,
    # Reports: managers (and the administrator) only, section 8.
    ("api:report-timeliness", "GET"): _rule(panel=403, caseworker=403),
    ("api:report-advice-timeliness", "GET"): _rule(panel=403, caseworker=403),
    ("api:report-panel-conversion", "GET"): _rule(panel=403, caseworker=403),
    ("api:report-open-cases", "GET"): _rule(panel=403, caseworker=403),
    ("api:report-ageing", "GET"): _rule(panel=403, caseworker=403),
    ("api:report-caseload", "GET"): _rule(panel=403, caseworker=403),
    # Plans and reviews (issue 17): caseworkers and managers; everyone else is refused the area
    # (403). Schools write their review report on a page (reviews:school-report), not here.
    ("api:review-list", "GET"): _rule(panel=403),
    ("api:review-detail", "GET"): _rule(panel=403),
    ("api:review-transition", "POST"): _rule(panel=403),
    ("api:review-plan-list", "GET"): _rule(panel=403),
    ("api:review-plan-detail", "GET"): _rule(panel=403),
    ("api:review-plan-schedule", "POST"): _rule(panel=403, sees_all=201),
}

#: Request bodies other than JSON.
FORMATS = {"api:advice-request-submission": "multipart"}


def _api_routes():
    """(url name, method) of every view under /api/, read from the URLconf."""
    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}{entry.namespace}:"
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if not route.startswith("api/"):
                    continue
                view = getattr(entry.callback, "cls", None) or getattr(
                    entry.callback, "view_class", None
                )
                methods = [
                    method.upper()
                    for method in view.http_method_names
                    if method not in ("options", "head") and hasattr(view, method)
                ]
                found.extend((f"{namespace}{entry.name}", method) for method in methods)

    walk(get_resolver().url_patterns, "", "")
    return sorted(set(found))


API_ROUTES = _api_routes()


def test_every_rule_is_for_a_real_route():
    assert set(EXPECTED) <= set(API_ROUTES), set(EXPECTED) - set(API_ROUTES)


def _request_for(route, method):
    today = timezone.localdate()
    author = caseworker()
    case = make_case(actor=author, received_on=today.replace(day=1), today=today)
    exception = exception_propose(
        actor=author,
        case=case,
        ground="exceptional_personal_circumstances",
        starts_on=case.received_on,
        notes="Synthetic evidence.",
    )
    kwargs = {}
    bodies = {}
    if route.startswith("api:advice-request-") and route != "api:advice-request-list":
        status = {
            "api:advice-request-submission": "accepted",
            "api:advice-request-document": "submitted",
        }.get(route, "requested")
        kwargs["advice_request_id"] = advice_in_status(status).pk
    if route.startswith("api:case-") and route != "api:case-list":
        kwargs["reference"] = case.reference
    if route == "api:case-exception-agree":
        kwargs["exception_id"] = exception.pk
    if route.startswith("api:review-") and not route.endswith("-list"):
        kwargs, extra = review_request(route, today)
        bodies |= extra
    if route == "api:notification-read":
        kwargs["notification_id"] = notification_for(author).pk
    if route.startswith(("api:panel-", "api:meeting-", "api:agenda-item-")):
        kwargs, bodies = panel_request(route, today)
    bodies |= {
        "api:case-list": {
            "child": {
                "first_name": "Synthetic",
                "last_name": "Child",
                "date_of_birth": "2017-05-01",
            },
            "received_on": today.isoformat(),
            "request_source": 1,
            "primary_need": "SLCN",
        },
        "api:case-transition": {
            "transition": "withdraw",
            "effective_date": today.isoformat(),
            "reason": "The family moved away (synthetic).",
        },
        "api:case-exception-propose": {
            "ground": "absent_from_area",
            "starts_on": case.received_on.isoformat(),
            "notes": "Synthetic evidence.",
        },
        "api:case-exception-agree": {},
        "api:advice-request-transition": {
            "transition": "cancel",
            "reason": "No longer needed (synthetic).",
        },
        "api:advice-request-submission": {"document": upload(), **SUMMARY},
    }
    body = bodies.get(route) if method == "POST" else None
    return reverse(route, kwargs=kwargs), body


def review_request(route, today):
    """A plan with a review whose invitations were sent (the step posted is the meeting)."""
    author = caseworker()
    plan = active_plan_create(
        actor=author,
        child=ChildFactory(),
        start_date=today - datetime.timedelta(days=300),
        primary_need="SLCN",
    )
    if route == "api:review-plan-schedule":
        return {"plan_id": plan.pk}, {
            route: {"meeting_on": today.isoformat(), "outcomes": ["Reads"]}
        }
    if route == "api:review-plan-detail":
        return {"plan_id": plan.pk}, {}
    review = review_schedule(actor=author, plan=plan, meeting_on=today)
    review = review_transition(actor=author, review=review, transition="send_invitations")
    body = {"transition": "hold_meeting", "effective_date": today.isoformat()}
    return {"review_id": review.pk}, {"api:review-transition": body}


def panel_request(route, today):
    """A NAP with its chair and a member (none of them the caller): next week's meeting with two
    cases listed, and today's meeting, published, with one case to decide."""
    panel = PanelFactory(panel_type=PanelType.NAP)
    member = add_member(panel, Agency.EDUCATION)
    upcoming = meeting(panel, today + datetime.timedelta(days=7))
    held = meeting(panel, today, status=MeetingStatus.PUBLISHED)
    nap_child = {"child": ChildFactory(date_of_birth=datetime.date(2015, 1, 1))}
    items = [
        AgendaItem.objects.create(
            meeting=upcoming, case=make_case(**nap_child), position=n, source=ItemSource.BUILT
        )
        for n in (1, 2)
    ]
    decided = AgendaItem.objects.create(
        meeting=held, case=make_case(**nap_child), position=1, source=ItemSource.BUILT
    )
    addable = make_case(**nap_child)
    kwargs = {
        "api:panel-list": {},
        "api:panel-meetings": {"panel_id": panel.pk},
        "api:agenda-item-remove": {"item_id": items[0].pk},
        "api:agenda-item-outcome": {"item_id": decided.pk},
    }.get(route, {"meeting_id": upcoming.pk})
    bodies = {
        "api:meeting-agenda-add": {"case": addable.reference},
        "api:meeting-agenda-reorder": {"items": [items[1].pk, items[0].pk]},
        "api:meeting-attendance": {"present": [member.pk]},
        "api:agenda-item-remove": {"reason": "Synthetic."},
        "api:agenda-item-outcome": {"outcome": "defer", "reasons": "More evidence (synthetic)."},
    }
    return kwargs, bodies


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("route", "method"), API_ROUTES, ids=lambda v: str(v))
def test_access(route, method, caller):
    assert (route, method) in EXPECTED, f"No access rule for {method} {route}: add one."
    url, body = _request_for(route, method)
    client = client_for(make_caller(caller))
    response = getattr(client, method.lower())(url, body, format=FORMATS.get(route, "json"))
    assert response.status_code == EXPECTED[(route, method)][caller], response.content[:300]
