"""Record every view of a child's case record (section 8). Routes that show a case record are
listed here by URL name with how to find the case from the URL; other apps add theirs with
`register_logged_route`. Recorded after a successful GET only (a 403/404 showed nothing)."""

from __future__ import annotations

from collections.abc import Callable

from cases.models import Case

from .models import RecordAccess


def _case_by_reference(kwargs) -> Case | None:
    # `status` too: the state machine reads it when the instance is built, and a deferred
    # status would cost a second query on every logged view.
    return (
        Case.objects.filter(reference=kwargs.get("reference")).only(
            "pk", "child_id", "reference", "status"
        )
    ).first()


#: url name -> (what was viewed, kwargs -> Case or None)
LOGGED_ROUTES: dict[str, tuple[str, Callable]] = {
    "cases:detail": ("case record page", _case_by_reference),
    "api:case-detail": ("case record (API)", _case_by_reference),
    "api:case-history": ("case history (API)", _case_by_reference),
    "api:case-notes": ("case notes (API)", _case_by_reference),
    "cases:document": ("case document download", _case_by_reference),
    # The child and family (section 10): contact details of the people with parental
    # responsibility, read through the API or an edit page.
    "api:case-child": ("child's details (API)", _case_by_reference),
    "api:case-parent-carers": ("family's contact details (API)", _case_by_reference),
    "api:case-parent-carer": ("family's contact details (API)", _case_by_reference),
    "cases:child-edit": ("child's details page", _case_by_reference),
    "cases:family-edit": ("family's contact details page", _case_by_reference),
}


def register_logged_route(url_name: str, what: str, find_case: Callable) -> None:
    """Other apps: log views of their pages that show a child's record."""
    LOGGED_ROUTES[url_name] = (what, find_case)


#: Where a view leaves the case it loaded from the URL, so the log need not read it again.
VIEWED_CASE_ATTR = "ehc_viewed_case"


def viewed_case_note(request, case) -> None:
    """A view that loaded the case named by its URL hands it to the access log, which then
    costs the request one insert and no second read of the case (benchmark 4b). `request`
    may be DRF's Request: the note goes on Django's request under it."""
    setattr(getattr(request, "_request", request), VIEWED_CASE_ATTR, case)


def _viewed_case(request, match, find_case) -> Case | None:
    """The case the view noted, if it is the one the URL names; otherwise read it."""
    case = getattr(request, VIEWED_CASE_ATTR, None)
    if case is not None and case.reference == match.kwargs.get("reference"):
        return case
    return find_case(match.kwargs)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def record_access(*, user, case, what: str, path: str, ip_address: str | None) -> RecordAccess:
    return RecordAccess.objects.create(
        user_id=user.pk,
        username=user.get_username(),
        child_id=case.child_id,
        case_reference=case.reference,
        what=what,
        path=path[:300],
        ip_address=ip_address,
    )


class RecordAccessMiddleware:
    """After the view: if the route shows a case record and it was shown, log who saw it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if (
            match is not None
            and request.method == "GET"
            and response.status_code == 200
            and match.view_name in LOGGED_ROUTES
            and user is not None
            and user.is_authenticated
        ):
            what, find_case = LOGGED_ROUTES[match.view_name]
            case = _viewed_case(request, match, find_case)
            if case is not None:
                record_access(
                    user=user,
                    case=case,
                    what=what,
                    path=request.get_full_path(),
                    ip_address=client_ip(request),
                )
        return response
