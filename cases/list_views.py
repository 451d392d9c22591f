"""The case list's actions: reassign the selected cases (managers, issue 13 item 6) and
download the filtered list as CSV (issue 13 item 8). Thin: one service or selector each."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from . import errors, export, selectors
from .assignment import assignable_caseworkers, cases_reassign, person_name
from .models import Case
from .roles import may_reassign
from .views import case_area, list_scope

REASSIGNED = "{count} {noun} reassigned to {name}."


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


@case_area
def cases_reassign_page(request):
    """Choose the new caseworker and say why (GET: the cases ticked on the list, or the one
    case from its page); POST reassigns them and goes back to the list."""
    if not may_reassign(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    references = source.getlist("case")
    cases = list(
        Case.objects.visible_to(request.user)
        .filter(reference__in=references)
        .select_related("child", "caseworker")
        .order_by("reference")
    )
    people = list(assignable_caseworkers())
    error_items, field_errors = [], {}
    if not cases:
        error_items = [{"text": errors.REASSIGN_NO_CASES, "href": ""}]
    elif request.method == "POST":
        chosen = next((p for p in people if str(p.pk) == source.get("caseworker")), None)
        try:
            moved = cases_reassign(
                actor=request.user,
                references=[case.reference for case in cases],
                caseworker=chosen,
                reason=source.get("reason", ""),
            )
        except ValidationError as exc:
            for field, field_messages in exc.message_dict.items():
                field_errors[field] = field_messages[0]
                error_items.append({"text": field_messages[0], "href": f"#{field}"})
        except errors.CaseError as exc:
            raise PermissionDenied(exc.message) from exc
        else:
            count = len(cases)
            text = REASSIGNED.format(
                count=count, noun=_plural(count, "case", "cases"), name=person_name(chosen)
            )
            if len(moved) < count:
                already = count - len(moved)
                text += f" {already} {_plural(already, 'was', 'were')} already theirs."
            messages.success(request, text)
            target = reverse("cases:list") + f"?scope=all&caseworker={chosen.username}"
            if count == 1:
                target = reverse("cases:detail", args=[cases[0].reference])
            return redirect(target)
    return render(
        request,
        "cases/reassign.html",
        {
            "cases": cases,
            "people": people,
            "values": source,
            "field_errors": field_errors,
            "error_items": error_items,
            "back": request.META.get("HTTP_REFERER") or reverse("cases:list"),
        },
        status=400 if error_items else 200,
    )


@case_area
def cases_export(request):
    """The filtered case list as CSV, streamed (a 100,000-row export never holds every row)."""
    today = timezone.localdate()
    filterset = selectors.case_list(user=request.user, today=today, filters=request.GET)
    cases = filterset.qs
    if list_scope(request) == "mine":
        cases = cases.filter(caseworker=request.user)
    response = StreamingHttpResponse(
        export.case_list_csv(cases, today=today), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="cases-{today.isoformat()}.csv"'
    return response
