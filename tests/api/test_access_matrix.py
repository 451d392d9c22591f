"""Who may call which API route (ehc-process.md section 8), generated from the URLconf: a new
route under /api/ without a rule here fails, so access is decided before a route ships."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases.exception_services import exception_propose
from cases.models import ParentCarer
from disputes import services as dispute_services
from disputes.models import OrderDeadline
from panels.models import Agency, AgendaItem, ItemSource, MeetingStatus, PanelType
from plans.services import advice_listed_save, comment_record, consultation_send
from reviews.services import active_plan_create, review_schedule, review_transition
from tests.advice_requests.factories import (
    SUMMARY,
    PartnerServiceFactory,
    advice_in_status,
    upload,
)
from tests.cases.factories import ChildFactory, case_in_status, caseworker, make_case
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
    # Notes and contacts (section 10): caseworkers and managers only, on cases they see.
    ("api:case-notes", "GET"): _rule(),
    ("api:case-notes", "POST"): _rule(sees_all=201),
    ("api:case-exception-propose", "POST"): _rule(sees_all=201),
    ("api:case-exception-agree", "POST"): _rule(caseworker=403),
    # The child and family (section 10): caseworkers and managers of a case they may see; a
    # person who is not the case's child's is 404.
    ("api:case-child", "GET"): _rule(),
    ("api:case-child", "PATCH"): _rule(),
    ("api:case-parent-carers", "GET"): _rule(),
    ("api:case-parent-carers", "POST"): _rule(sees_all=201),
    ("api:case-parent-carer", "GET"): _rule(),
    ("api:case-parent-carer", "PATCH"): _rule(),
    ("api:case-exception-refuse", "POST"): _rule(caseworker=403),
    # Reassignment: managers only (issue 13 item 6).
    ("api:case-reassign", "POST"): _rule(panel=403, caseworker=403),
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
    # Chasing (section 10): staff only; a partner of another service cannot even see it.
    ("api:advice-request-chase", "POST"): _rule(partner=404, panel=403, sees_all=201),
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
    # Disputes (issue 18): object-scoped to the case, which decides who sees it (404 outside it).
    ("api:case-disputes", "GET"): _rule(),
    ("api:case-disputes", "POST"): _rule(sees_all=201),
    ("api:dispute-mediation", "POST"): _rule(),
    ("api:dispute-agreement-action", "POST"): _rule(sees_all=201),
    ("api:dispute-appeal", "POST"): _rule(),
    ("api:dispute-deadline-done", "POST"): _rule(),
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
    # Forecasts (issue 19): a service's backlog is for staff and the service's own members (the
    # matrix's partner belongs to no service: 404); only a manager or a member sets capacity.
    ("api:forecast-service-backlog", "GET"): _rule(no_role=404, partner=404),
    ("api:forecast-service-capacity", "POST"): _rule(no_role=404, partner=404, caseworker=403),
    # Plans and letters (issue 15): caseworkers and managers only; every other role 403.
    ("api:plan-detail", "GET"): _rule(panel=403),
    ("api:plan-detail", "POST"): _rule(panel=403, sees_all=201),
    ("api:plan-detail", "PATCH"): _rule(panel=403),
    **{
        (f"api:plan-{segment}", "POST"): _rule(panel=403, sees_all=201)
        for segment in ("needs", "outcomes", "provision", "advice")
    },
    **{
        (f"api:plan-{segment}-item", method): _rule(
            panel=403, sees_all=200 if method == "PATCH" else 204
        )
        for segment in ("needs", "outcomes", "provision", "advice")
        for method in ("PATCH", "DELETE")
    },
    ("api:plan-quality", "GET"): _rule(panel=403),
    ("api:plan-versions", "GET"): _rule(panel=403),
    ("api:plan-version-pdf", "GET"): _rule(panel=403),
    ("api:plan-diff", "GET"): _rule(panel=403),
    ("api:plan-comments", "GET"): _rule(panel=403),
    ("api:plan-comments", "POST"): _rule(panel=403, sees_all=201),
    ("api:plan-comment-answer", "POST"): _rule(panel=403),
    ("api:plan-consultations", "GET"): _rule(panel=403),
    ("api:plan-consultations", "POST"): _rule(panel=403, sees_all=201),
    ("api:plan-consultation-response", "POST"): _rule(panel=403),
    ("api:plan-consultation-chase", "POST"): _rule(panel=403),
    ("api:case-letters", "GET"): _rule(panel=403),
    ("api:letter-unsent", "GET"): _rule(panel=403),
    ("api:letter-pdf", "GET"): _rule(panel=403),
    ("api:letter-sent", "POST"): _rule(panel=403),
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
    if route.startswith("api:case-") and route not in ("api:case-list", "api:case-reassign"):
        kwargs["reference"] = case.reference
    if route.startswith(("api:case-disputes", "api:dispute-")):
        kwargs, dispute_bodies = dispute_request(route, author, today)
        return reverse(route, kwargs=kwargs), dispute_bodies.get(
            route
        ) if method == "POST" else None
    if route.startswith(("api:plan-", "api:letter-")) or route == "api:case-letters":
        return plan_request(route, method)
    if route in ("api:case-exception-agree", "api:case-exception-refuse"):
        kwargs["exception_id"] = exception.pk
    if route == "api:case-parent-carer":
        kwargs["parent_carer_id"] = ParentCarer.objects.create(child=case.child, name="P. Carer").pk
    if route.startswith("api:forecast-service-"):
        kwargs["service_id"] = PartnerServiceFactory().pk
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
        "api:case-child": {"current_setting_urn": "100001"},
        "api:case-parent-carers": {
            "name": "Synthetic Parent",
            "phone": "07700 900 982",
            "preferred_contact_method": "phone",
        },
        "api:case-parent-carer": {"email": "parent@example.com"},
        "api:case-exception-refuse": {"reason": "Not enough evidence (synthetic)."},
        "api:case-reassign": {
            "cases": [case.reference],
            "caseworker": caseworker().username,
            "reason": "Caseload balanced (synthetic).",
        },
        "api:advice-request-transition": {
            "transition": "cancel",
            "reason": "No longer needed (synthetic).",
        },
        "api:advice-request-submission": {"document": upload(), **SUMMARY},
        "api:case-notes": {
            "kind": "phone_call",
            "occurred_on": today.isoformat(),
            "summary": "Spoke to the family (synthetic).",
        },
        "api:advice-request-chase": {},
        "api:forecast-service-capacity": {"per_week": "12"},
    }
    body = bodies.get(route) if method in ("POST", "PATCH") else None
    return reverse(route, kwargs=kwargs), body


def dispute_request(route, author, today):
    """A declined case (its window open, or with a dispute at the step each route needs)."""
    declined = case_in_status(
        "assessment_declined",
        family_told=True,
        actor=author,
        received_on=today.replace(day=1) - datetime.timedelta(days=60),
        today=today,
    )
    letter = declined.appeal_rights_sent_on
    kwargs = {"reference": declined.reference}
    if route == "api:case-disputes":
        return kwargs, {"api:case-disputes": {"decision": "decline_to_assess"}}
    dispute = dispute_services.dispute_open(
        actor=author, case=declined, decision="decline_to_assess"
    )
    kwargs["dispute_id"] = dispute.pk
    if route == "api:dispute-agreement-action":
        mediation = dispute_services.mediation_start(
            actor=author, dispute=dispute, adviser_contacted_on=letter
        )
        dispute_services.mediation_transition(
            actor=author, mediation=mediation, transition="choose_mediation", effective_date=letter
        )
        dispute_services.mediation_transition(
            actor=author,
            mediation=mediation,
            transition="record_held",
            effective_date=letter,
            outcome="agreement",
        )
    if route == "api:dispute-deadline-done":
        appeal = dispute_services.appeal_register(
            actor=author, dispute=dispute, registered_on=letter, grounds=["refusal_to_assess"]
        )
        dispute_services.appeal_outcome_record(
            actor=author, appeal=appeal, outcome="conceded", decided_on=letter, order_kind="assess"
        )
        kwargs = {
            "reference": declined.reference,
            "deadline_id": OrderDeadline.objects.filter(dispute=dispute).first().pk,
        }
    on = letter.isoformat()
    return kwargs, {
        "api:dispute-mediation": {"step": "start", "on": on},
        "api:dispute-agreement-action": {"kind": "other", "terms": "Synthetic."},
        "api:dispute-appeal": {"step": "register", "on": on, "grounds": ["refusal_to_assess"]},
        "api:dispute-deadline-done": {"on": on},
    }


def plan_request(route, method):
    """A case whose draft is with the family: one comment, one consultation, its letters."""
    author = caseworker()
    case = case_in_status("draft_issued", actor=author)
    plan = case.plan
    served = case.draft_issued_on.isoformat()
    comment = comment_record(
        actor=author,
        plan=plan,
        section="F",
        text="More therapy.",
        source="email",
        received_on=case.draft_issued_on,
    )
    consultation = consultation_send(actor=author, plan=plan, setting_name="Synthetic School")
    letter = case.letters.first()
    advice = advice_listed_save(actor=author, plan=plan, description="School report")
    items = {
        "needs": plan.needs.first(),
        "outcomes": plan.outcomes.first(),
        "provision": plan.provision.first(),
        "advice": advice,
    }
    kwargs = {"reference": case.reference}
    extra = {
        **{f"api:plan-{segment}-item": {"item_id": item.pk} for segment, item in items.items()},
        "api:plan-version-pdf": {"number": 1},
        "api:plan-comment-answer": {"comment_id": comment.pk},
        "api:plan-consultation-response": {"consultation_id": consultation.pk},
        "api:plan-consultation-chase": {"consultation_id": consultation.pk},
    }
    if route == "api:letter-unsent":
        kwargs = {}
    elif route.startswith("api:letter-"):
        kwargs = {"letter_id": letter.pk}
    kwargs |= extra.get(route, {})
    bodies = {
        ("api:plan-detail", "PATCH"): {"child_views": "I like trains."},
        ("api:plan-needs", "POST"): {"area": "communication", "text": "Talking."},
        ("api:plan-advice", "POST"): {"description": "Health visitor's report"},
        ("api:plan-provision-item", "PATCH"): {"session_minutes": 45},
        ("api:plan-outcomes", "POST"): {"text": "Talks in sentences."},
        ("api:plan-provision", "POST"): {
            "what": "Therapy",
            "frequency": 1,
            "frequency_unit": "week",
        },
        ("api:plan-comments", "POST"): {
            "section": "A",
            "text": "Add his views.",
            "source": "letter",
            "received_on": served,
        },
        ("api:plan-comment-answer", "POST"): {"answer": "accepted"},
        ("api:plan-consultations", "POST"): {"setting_name": "Another School"},
        ("api:plan-consultation-response", "POST"): {
            "answer": "can_meet",
            "responded_on": timezone.localdate().isoformat(),
        },
        ("api:letter-sent", "POST"): {"method": "post"},
    }
    url = reverse(route, kwargs=kwargs)
    if route == "api:plan-diff":
        url += "?from=1&to=1"
    return url, bodies.get((route, method), {} if method != "GET" else None)


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
