"""The inbox pages, under /notifications/: every signed-in user's notifications, marking them
read, and email preferences. Thin: the selectors and services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import ALWAYS_EMAILED, KIND_HINTS, OPTIONAL_KINDS, EmailPreferencesForm

PAGE_SIZE = 25
MARKED_READ = "Notification marked as read."
ALL_MARKED_READ = "{count} notification{plural} marked as read."
PREFERENCES_SAVED = "Your email preferences are saved."


@login_required
def inbox(request):
    """Newest first, paginated: two queries (count and page) whatever the number of rows."""
    page = Paginator(selectors.inbox(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "today": timezone.localdate()},
    )


@login_required
@require_POST
def mark_read(request, notification_id: int):
    """Only the recipient's own notification: anyone else's is not found (404)."""
    notification = selectors.own_notification(user=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404
    services.notification_mark_read(user=request.user, notification=notification)
    messages.success(request, MARKED_READ)
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, ALL_MARKED_READ.format(count=count, plural="" if count == 1 else "s"))
    return redirect(_back(request))


@login_required
def preferences(request):
    """Switch email off for non-urgent kinds; overdue kinds are always emailed (decision 0031)."""
    opted_out = selectors.email_opt_outs([request.user.pk])
    current = [kind.value for kind in OPTIONAL_KINDS if (request.user.pk, kind) not in opted_out]
    form = EmailPreferencesForm(request.POST or None, initial={"emailed": current})
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["emailed"])
        services.email_preferences_set(
            user=request.user, emailed={kind: kind.value in chosen for kind in OPTIONAL_KINDS}
        )
        messages.success(request, PREFERENCES_SAVED)
        return redirect("notifications:preferences")
    error_items = [
        {"text": message, "href": f"#emailed-{OPTIONAL_KINDS[0].value}"}
        for message in form.errors.get("emailed", [])
    ]
    return render(
        request,
        "notifications/preferences.html",
        {
            "error_items": error_items,
            "form": form,
            "selected": set(form["emailed"].value() or []),
            "optional": [(kind, KIND_HINTS[kind]) for kind in OPTIONAL_KINDS],
            "always": [(kind, KIND_HINTS[kind]) for kind in ALWAYS_EMAILED],
            "has_email": bool(request.user.email),
        },
        status=400 if error_items else 200,
    )


def _back(request) -> str:
    """Back to the page the form was on (a path on this site only), else the inbox."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "notifications:inbox"
