"""The case page's "Family portal" section: who can see this child's requests online, when
they last signed in, what they sent through the portal and when, pending invitations, and the
invite and revoke actions (issue 16 item 6)."""

from __future__ import annotations

from cases.roles import Role, has_role

from . import selectors, views_services

SECTION_TEMPLATE = "families/includes/case_family_portal.html"


def family_portal_section(*, request, case, today):
    if not has_role(request.user, Role.CASEWORKER, Role.MANAGER):
        return None
    access = selectors.portal_access_for_case(case=case)
    child = case.child
    linked_carers = {link.parent_carer_id for link in access["links"] if link.parent_carer_id}
    pending = {inv.parent_carer_id: inv for inv in access["invitations"]}
    rows = []
    for carer in access["carers"]:
        rows.append(
            {
                "carer": carer,
                "has_access": carer.pk in linked_carers,
                "invitation": pending.get(carer.pk),
                "may_invite": carer.has_parental_responsibility
                and bool(carer.email)
                and carer.pk not in linked_carers,
            }
        )
    young_person = child.is_young_person(today)
    return SECTION_TEMPLATE, {
        "links": [
            {"link": link, "gives_access": selectors.link_gives_access(link, today=today)}
            for link in access["links"]
        ],
        "rows": rows,
        "young_person": young_person,
        "young_person_invitation": pending.get(None),
        "young_person_linked": any(link.parent_carer_id is None for link in access["links"]),
        "views_given": [
            {"views": given, "rows": views_services.views_rows(given)}
            for given in selectors.views_given(case=case)
        ],
    }
