"""Who may see which cases (ehc-process.md section 8), decided in one place.

`Case.objects.visible_to(user)` is the only way a view, API or export lists or fetches cases, so
a case outside a user's visibility is simply not found (HTTP 404: no existence leak).

- caseworkers and managers (and superusers, the administrators) see every case of the service;
- partners never see cases through the case API: their access is to the advice requests
  addressed to their service (the advice requests app);
- panel chairs and members see the cases on agendas of panels they sit on. The panels app
  appends a rule here (`user -> Q`), as the advice requests app appends risk conditions to
  `RISK_EXTRA_CONDITIONS`; with no rule registered they see no case;
- nobody, whatever their role, sees a case of a child restricted for retention (past date of
  birth + EHC_RETENTION_YEARS_AFTER_BIRTH, awaiting deletion: decision 0064).
"""

from __future__ import annotations

from django.db.models import Q

from .roles import Role, has_role

#: Callables `user -> Q | None` over Case, OR-ed together for users who do not see every case.
#: A rule returns None (or an empty-matching Q) when it grants the user nothing.
CASE_VISIBILITY_RULES: list = []

#: Roles that see every case of the SEN service.
SEES_EVERY_CASE = (Role.CASEWORKER, Role.MANAGER)

#: Roles that may use the case pages and the case API at all. A partner-only user is refused
#: (403) everywhere there, even the list, so not even a count of cases reaches them.
CASE_AREA_ROLES = (Role.CASEWORKER, Role.MANAGER, Role.PANEL_CHAIR, Role.PANEL_MEMBER)

NOTHING = Q(pk__in=[])


def register_case_visibility_rule(rule) -> None:
    if rule not in CASE_VISIBILITY_RULES:
        CASE_VISIBILITY_RULES.append(rule)


def sees_every_case(user) -> bool:
    return has_role(user, *SEES_EVERY_CASE)


def may_use_case_area(user) -> bool:
    return has_role(user, *CASE_AREA_ROLES)


def case_visibility_q(user) -> Q | None:
    """None means "every case"; otherwise the Q a user's visible cases match. (Cases of a child
    restricted for retention are taken out by `Case.objects.visible_to`, for everyone.)"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if sees_every_case(user):
        return None
    condition = NOTHING
    for rule in CASE_VISIBILITY_RULES:
        granted = rule(user)
        if granted is not None:
            condition |= granted
    return condition
