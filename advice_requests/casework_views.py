"""The advice pages of the caseworker's everyday record (section 10): chasing a request, the
follow-up's filtered lists, and a partner's download of a paper shared with their request."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cases.errors import CaseConflictError, CaseForbiddenError
from cases.models import CaseDocument

from . import access, chase, selectors
from .apis import client_ip, document_response
from .models import OUTSTANDING_STATUSES, PartnerService
from .views import _get, _is_staff, advice_area

CHASED = (
    "{service} has been reminded about the {advice}. The reminder is recorded on case {reference}."
)
LIST_PAGE_SIZE = 50


def _next_url(request, advice) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("cases:detail", args=[advice.case.reference])


@require_POST
@advice_area
def request_chase(request, advice_request_id):
    """Chase: record the contact and remind the service, once per click."""
    advice = _get(request, advice_request_id)
    back = _next_url(request, advice)
    try:
        chase.advice_request_chase(
            actor=request.user, advice=advice, token=request.POST.get("token", "")[:64]
        )
    except CaseForbiddenError as exc:
        raise PermissionDenied(exc.message) from exc
    except CaseConflictError as exc:
        return render(
            request,
            "advice_requests/chase_refused.html",
            {"advice": advice, "back": back, "error_items": [{"text": exc.message, "href": ""}]},
            status=409,
        )
    label = advice.get_kind_display()
    messages.success(
        request,
        CHASED.format(
            service=advice.service.name,
            advice=label[0].lower() + label[1:],
            reference=advice.case.reference,
        ),
    )
    return redirect(back)


@login_required
def follow_up_list(request, show):
    """The requests behind one number of the follow-up page (of one service, or all)."""
    if not _is_staff(request.user):
        raise PermissionDenied
    if show not in selectors.FOLLOW_UP_LISTS:
        raise Http404
    service = None
    service_id = request.GET.get("service", "")
    if service_id:
        try:
            service = PartnerService.objects.get(pk=int(service_id))
        except (ValueError, OverflowError, PartnerService.DoesNotExist) as exc:
            raise Http404 from exc
    today = timezone.localdate()
    requests = selectors.follow_up_requests(
        today=today, show=show, service_id=service.pk if service else None
    )
    page = Paginator(requests, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "advice_requests/follow_up_list.html",
        {
            "title": selectors.FOLLOW_UP_LISTS[show],
            "show": show,
            "service": service,
            "page": page,
            "rows": [
                {
                    "advice": advice,
                    "overdue": advice.is_overdue(today),
                    "outstanding": advice.status in OUTSTANDING_STATUSES,
                }
                for advice in page.object_list
            ],
            "today": today,
        },
    )


@advice_area
def request_paper(request, advice_request_id, document_id):
    """A paper the caseworker shared with this request, as an attachment (logged)."""
    try:
        download = access.case_paper_open(
            actor=request.user,
            advice_request_id=advice_request_id,
            document_id=document_id,
            ip_address=client_ip(request),
        )
    except (CaseDocument.DoesNotExist, access.AdviceRequest.DoesNotExist) as exc:
        raise Http404 from exc
    return document_response(download)
