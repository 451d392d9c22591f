"""Who may open which family portal route (issue 16, "Bad input and abuse"), generated from the
URLconf: a new route under /family/ without a rule here fails, so access is decided before a
route ships. The objects in each URL belong to child A; family B is another family, and the
third family caller is a parent of child A without parental responsibility."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.roles import Role
from families import services as family_services
from families.views_services import family_views_submit
from tests.advice_requests.factories import assessing_case
from tests.cases.factories import UserFactory, make_case

from .factories import case_with_draft, family_account, parent_of

STAFF = ("no_role", "partner", "panel_member", "caseworker", "manager", "superuser")
FAMILY = ("family_a", "family_b", "no_parental_responsibility")
CALLERS = ("anonymous", *STAFF, *FAMILY)

ANSWERS = {
    "likes_and_good_at": "Synthetic likes.",
    "finds_hard": "Synthetic hard things.",
    "hopes": "Synthetic hopes.",
    "what_helps": "Synthetic help.",
}


def family_page(*, own, other=404):
    """A family page: sign in first (302 to the sign-in page), staff are refused (403: they
    have the case pages), another family's object is 404 like one that does not exist."""
    return {
        "anonymous": 302,
        **dict.fromkeys(STAFF, 403),
        "family_a": own,
        "family_b": other,
        "no_parental_responsibility": other,
    }


def caseworker_action():
    """The caseworker's invite and revoke: caseworkers, managers and the administrator."""
    rule = {"anonymous": 302, **dict.fromkeys((*STAFF, *FAMILY), 403)}
    rule.update(dict.fromkeys(("caseworker", "manager", "superuser"), 302))
    return rule


#: (url name, method) -> caller -> expected status.
EXPECTED = {
    ("families:home", "GET"): family_page(own=200, other=200),  # everyone sees their own list
    ("families:request", "GET"): family_page(own=200),
    ("families:views", "GET"): family_page(own=200),
    ("families:views", "POST"): family_page(own=302),  # on to check your answers
    ("families:views-check", "GET"): family_page(own=302),  # no answers yet: the questions
    ("families:views-check", "POST"): family_page(own=302),
    ("families:views-sent", "GET"): family_page(own=200),
    ("families:views-document", "GET"): family_page(own=200),
    # The invitation is its own proof: anyone holding the link sees the page (signed-in staff
    # are refused when they submit it: tests/families/test_invitations.py).
    # The plan and the letters (a request whose draft is with the family: _world(plan=True)).
    ("families:letter", "GET"): family_page(own=200),
    ("families:plan", "GET"): family_page(own=200),
    ("families:plan", "POST"): family_page(own=302),  # the comments sent, back to the page
    ("families:plan-version", "GET"): family_page(own=200),
    ("families:plan-version-pdf", "GET"): family_page(own=200),
    ("families:plan-advice", "GET"): family_page(own=200),
    ("families:accept", "GET"): dict.fromkeys(CALLERS, 200),
    # The sign-in code page: a session that passed the second factor goes on (302); the
    # anonymous caller is sent to sign in first.
    ("families:sign-in-code", "GET"): dict.fromkeys(CALLERS, 302),
    ("families:invite", "POST"): caseworker_action(),
    ("families:revoke", "POST"): caseworker_action(),
}


def _family_routes() -> list[str]:
    """The url name of every view under /family/, read from the URLconf."""
    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern) and (prefix + str(entry.pattern)).startswith(
                "family/"
            ):
                found.append(f"{namespace}{entry.name}")

    walk(get_resolver().url_patterns, "", "")
    return sorted(set(found))


FAMILY_ROUTES = _family_routes()
RULES = sorted(EXPECTED)


def test_every_family_route_has_a_rule_and_every_rule_a_route():
    assert FAMILY_ROUTES, "No routes found under /family/"
    ruled = {name for name, _method in EXPECTED}
    assert set(FAMILY_ROUTES) <= ruled, f"No access rule for {set(FAMILY_ROUTES) - ruled}"
    assert ruled <= set(FAMILY_ROUTES), ruled - set(FAMILY_ROUTES)


PLAN_ROUTES = (
    "families:letter",
    "families:plan",
    "families:plan-version",
    "families:plan-version-pdf",
    "families:plan-advice",
)


def _world(route=""):
    """Child A's request (assessing, the family's views asked for; or, for the plan's routes,
    its draft plan with the family and its letters sent) with its family; child B's request
    with theirs; and a parent of child A without parental responsibility."""
    if route in PLAN_ROUTES:
        case_a, carer_a = case_with_draft()
    else:
        case_a = assessing_case()
        carer_a = parent_of(case_a.child, name="Ash Parent")
    case_b = make_case()
    return {
        "case": case_a,
        "family_a": family_account(carer=carer_a),
        "family_b": family_account(carer=parent_of(case_b.child, name="Bo Parent")),
        "no_parental_responsibility": family_account(
            carer=parent_of(case_a.child, name="Cal Parent", responsibility=False)
        ),
        "carer_a": carer_a,
    }


def _caller(kind, world):
    if kind == "anonymous":
        return None
    if kind in FAMILY:
        return world[kind].user
    if kind == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    if kind == "no_role":
        return UserFactory()
    return UserFactory(roles=[Role(kind)])


def _request_for(route, world):
    case = world["case"]
    family_a = world["family_a"]
    link = family_a.links.get()
    args = [case.reference]
    body = {}
    if route in ("families:views-sent", "families:views-document"):
        views = family_views_submit(user=family_a.user, link=link, case=case, answers=ANSWERS)
        if route == "families:views-document":
            args.append(views.pk)
    if route == "families:views":
        body = ANSWERS
    if route == "families:letter":
        args.append(case.letters.filter(recipient=world["carer_a"]).first().pk)
    if route in ("families:plan-version", "families:plan-version-pdf"):
        args.append(1)
    if route == "families:plan-advice":
        args.append(case.plan.advice_listed.exclude(submission=None).first().submission_id)
    if route == "families:plan":
        body = {"section_B": "A synthetic comment."}
    if route == "families:home" or route == "families:sign-in-code":
        args = []
    if route == "families:accept":
        _invitation, token = family_services.invitation_send(
            actor=case.caseworker, child=case.child, parent_carer=world["carer_a"]
        )
        args = [token]
    if route == "families:invite":
        body = {"parent_carer": world["carer_a"].pk}
    if route == "families:revoke":
        args.append(link.pk)
    return reverse(route, args=args), body


@pytest.fixture(autouse=True)
def _today(time_machine):
    # Inside the family's 15 days for the draft of case_with_draft (served on 2 November).
    time_machine.move_to(datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC))


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("route", "method"), RULES, ids=lambda v: str(v))
def test_family_access(client, route, method, caller):
    world = _world(route)
    url, body = _request_for(route, world)
    user = _caller(caller, world)
    if user is not None:
        client.force_login(user)
    response = getattr(client, method.lower())(url, body)
    assert response.status_code == EXPECTED[(route, method)][caller], (
        response.content[:300] if response.status_code != 302 else response.url
    )
