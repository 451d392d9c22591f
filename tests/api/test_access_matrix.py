"""Who may call which API route (ehc-process.md section 8), generated from the URLconf: a new
route under /api/ without a rule here fails, so access is decided before a route ships."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cases.services import exception_propose
from tests.cases.factories import caseworker, make_case

from .conftest import CALLERS, client_for, make_caller

SEES_ALL = ("caseworker", "manager", "superuser")


def _rule(*, anonymous=401, no_role=403, partner=403, panel=404, sees_all=200, **overrides):
    """Defaults: partners and users without a role are refused the case area (403); panel
    members and chairs see no case until the panels app adds their rule (404)."""
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
    # Reports: managers (and the administrator) only, section 8.
    ("api:report-timeliness", "GET"): _rule(panel=403, caseworker=403),
    ("api:report-advice-timeliness", "GET"): _rule(panel=403, caseworker=403),
    ("api:report-panel-conversion", "GET"): _rule(panel=403, caseworker=403),
    ("api:report-open-cases", "GET"): _rule(panel=403, caseworker=403),
    ("api:report-ageing", "GET"): _rule(panel=403, caseworker=403),
    ("api:report-caseload", "GET"): _rule(panel=403, caseworker=403),
}


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
    if "case-" in route and route != "api:case-list":
        kwargs["reference"] = case.reference
    if route == "api:case-exception-agree":
        kwargs["exception_id"] = exception.pk
    bodies = {
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
    }
    body = bodies.get(route) if method == "POST" else None
    return reverse(route, kwargs=kwargs), body


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("route", "method"), API_ROUTES, ids=lambda v: str(v))
def test_access(route, method, caller):
    assert (route, method) in EXPECTED, f"No access rule for {method} {route}: add one."
    url, body = _request_for(route, method)
    client = client_for(make_caller(caller))
    response = getattr(client, method.lower())(url, body, format="json")
    assert response.status_code == EXPECTED[(route, method)][caller], response.content[:300]
