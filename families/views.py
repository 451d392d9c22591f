"""The family portal's pages under /family/ (issue 16) and the caseworker's invite and revoke
actions. Thin: families.selectors decides what a family member may see (another family's
request is a 404), families.services makes every change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_email.models import EmailDevice

from advice_requests.models import AdviceKind
from cases.models import Case
from cases.roles import Role, has_role
from disputes.selectors import dispute_dates_for_family
from plans import selectors as plan_selectors
from security.access_log import client_ip

from . import selectors, services, status, throttle, views_services
from .forms import (
    CODE_WRONG,
    AcceptInvitationForm,
    SignInCodeForm,
    YoungPersonInvitationForm,
    error_items,
)
from .models import FamilyLink

CODE_SENT = "We have sent a code to your email address. It works for 5 minutes."
CODE_TOO_SOON = "We sent a code less than a minute ago. Wait a minute before asking for another."
ACCOUNT_READY = "Your account is ready. Sign in with your email address and password."
CHILD_ADDED = "This request is now in your account."
INVITED = "Invitation sent to {email}. It works once, for 7 days."
REVOKED = "{name} can no longer see this child's requests online."


def family_only(view):
    """Family pages are for family accounts: staff get 403 (they have the case pages)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.is_family_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _audience(link: FamilyLink) -> str:
    return status.YOUNG_PERSON if link.is_young_person else status.PARENT


@family_only
def home(request):
    """Every request the family member may see, each with where it is and what happens next."""
    today = timezone.localdate()
    children = []
    for link, cases in selectors.family_cases(user=request.user, today=today):
        children.append(
            {
                "child": link.child,
                "requests": [
                    {
                        "case": case,
                        "text": status.status_text(case, today=today, audience=_audience(link)),
                    }
                    for case in cases
                ],
            }
        )
    return render(request, "families/home.html", {"children": children})


@family_only
def request_detail(request, reference: str):
    """One request: where it is now, the date the law sets for the next step, who the
    caseworker is, and the advice asked for (whether it has come in, not what it says)."""
    today = timezone.localdate()
    try:
        link, case = selectors.family_case_get(user=request.user, reference=reference, today=today)
    except Case.DoesNotExist as missing:
        raise Http404 from missing
    requested = selectors.family_advice(case=case)
    advice = [
        {
            "kind": AdviceKind(item.kind).label,
            "service": item.service.name if item.service_id else "",
            "state": status.ADVICE_STATE.get(item.status, "Asked for"),
        }
        for item in requested
    ]
    return render(
        request,
        "families/request_detail.html",
        {
            "case": case,
            "child": case.child,
            "text": status.status_text(case, today=today, audience=_audience(link)),
            "advice": advice,
            "caseworker": case.caseworker,
            "views_asked": views_services.outstanding_views_request(requested) is not None,
            "views_given": [
                {"views": given, "rows": views_services.views_rows(given)}
                for given in selectors.views_given(case=case)
            ],
            "young_person": link.is_young_person,
            "letters": list(
                plan_selectors.family_letters(case, parent_carer_id=link.parent_carer_id)
            ),
            "plan_versions": plan_selectors.issued_version_count(case),
            # Issue 18: the appeal deadline and any tribunal order's dates, in plain words.
            "disagreement_dates": dispute_dates_for_family(case, today),
        },
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    """Open to anyone with the link: the invitation itself is the proof. Used once. Failed
    tries from one address are limited (families.throttle)."""
    address = client_ip(request)
    if throttle.invitation_attempts_exceeded(address):
        return render(
            request,
            "families/invitation_refused.html",
            {"message": throttle.TOO_MANY_ATTEMPTS},
            status=429,
        )
    try:
        invitation = services.invitation_for_token(token)
    except services.FamilyError as refused:
        throttle.invitation_attempt_failed(address)
        return render(
            request, "families/invitation_refused.html", {"message": refused.message}, status=410
        )
    user = request.user
    signed_in = selectors.is_family_member(user) and user.is_verified()
    form = AcceptInvitationForm(request.POST or None, signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                token=token,
                email=form.cleaned_data["email"],
                password=form.cleaned_data.get("password", ""),
                user=user if signed_in else None,
            )
        except services.FamilyError as refused:
            throttle.invitation_attempt_failed(address)
            form.add_error(refused.field, refused.message)
        else:
            if signed_in:
                messages.success(request, CHILD_ADDED)
                return redirect("families:home")
            messages.success(request, ACCOUNT_READY)
            return redirect("login")
    return render(
        request,
        "families/accept_invitation.html",
        {
            "form": form,
            "signed_in": signed_in,
            "expires_on": timezone.localdate(invitation.expires_at),
            "error_items": error_items(form),
        },
    )


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/family/"


@login_required
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """The family's second factor: a code sent to their email (django-otp's EmailDevice)."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    device = EmailDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise PermissionDenied
    form = SignInCodeForm()
    if request.method == "GET" or request.POST.get("action") == "send":
        sent = services.sign_in_code_send(user=user)
        if request.method == "POST":  # the page itself says a code was sent on arrival
            messages.info(request, CODE_SENT if sent else CODE_TOO_SOON)
            return redirect(f"{request.path}?{request.GET.urlencode()}")
    else:
        form = SignInCodeForm(request.POST)
        if form.is_valid():
            # Any of the user's devices: the emailed code, or a recovery code (demo accounts).
            matched = match_token(user, form.cleaned_data["code"].replace(" ", ""))
            if matched is not None:
                otp_login(request, matched)
                return redirect(_next_url(request))
            form.add_error("code", CODE_WRONG)
    return render(
        request,
        "families/sign_in_code.html",
        {"form": form, "next": _next_url(request), "error_items": error_items(form)},
    )


def _case_for_staff(request, reference: str) -> Case:
    """Caseworkers and managers only (section 8), and only a case they may see."""
    if not has_role(request.user, Role.CASEWORKER, Role.MANAGER):
        raise PermissionDenied
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related("child"), reference=reference
    )


def _back_to_case(case: Case):
    return redirect(f"{reverse('cases:detail', args=[case.reference])}#family-portal")


@require_POST
@login_required
def invite(request, reference: str):
    """The caseworker invites a person with parental responsibility, or the young person."""
    case = _case_for_staff(request, reference)
    carer = None
    email = ""
    if request.POST.get("parent_carer"):
        carer = get_object_or_404(case.child.parent_carers, pk=request.POST["parent_carer"])
    else:
        form = YoungPersonInvitationForm(request.POST)
        if not form.is_valid():
            for message in form.errors["email"]:
                messages.error(request, message)
            return _back_to_case(case)
        email = form.cleaned_data["email"]
    try:
        invitation, _token = services.invitation_send(
            actor=request.user, child=case.child, parent_carer=carer, email=email
        )
    except services.FamilyError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, INVITED.format(email=invitation.email))
    return _back_to_case(case)


@require_POST
@login_required
def revoke(request, reference: str, link_pk: int):
    """The caseworker ends one person's portal access to this child, at once."""
    case = _case_for_staff(request, reference)
    link = get_object_or_404(
        FamilyLink.objects.active().select_related("member"), pk=link_pk, child=case.child
    )
    services.family_access_revoke(
        actor=request.user, link=link, reason=request.POST.get("reason", "")
    )
    messages.success(request, REVOKED.format(name=link.member.name))
    return _back_to_case(case)
