"""The cases app's own sections of the case page (registered in apps.py through
cases.extensions, as other apps register theirs): the case's documents, and which of them each
advice request may see."""

from __future__ import annotations

from .record_selectors import case_documents
from .roles import Role, has_role

DOCUMENTS_SECTION_TEMPLATE = "cases/includes/case_documents.html"
#: Advice requests that ended without advice need no papers.
NO_PAPERS_STATUSES = ("cancelled", "declined")


def documents_section(*, request, case, today):
    if not has_role(request.user, Role.CASEWORKER, Role.MANAGER):
        return None
    documents = case_documents(case=case)
    advice_requests = list(
        case.advice_requests.filter(service__isnull=False)
        .exclude(status__in=NO_PAPERS_STATUSES)
        .select_related("service")
        .order_by("kind", "id")
    )
    shared = {
        (share.advice_request_id, document.pk)
        for document in documents
        for share in document.share_list
    }
    return DOCUMENTS_SECTION_TEMPLATE, {
        "documents": documents,
        "share_forms": [
            {
                "advice": advice,
                "choices": [
                    {"document": document, "checked": (advice.pk, document.pk) in shared}
                    for document in documents
                ],
            }
            for advice in advice_requests
        ],
    }
