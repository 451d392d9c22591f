"""Sign in and out (Django auth), in the GOV.UK layout."""

from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import defaults

from cases.roles import Role, has_role
from cases.visibility import may_use_case_area
from ehc_workflow.api import error_body
from families.selectors import is_family_member
from panels.selectors import may_use_panels
from reports.access import may_see_reports
from security.forms import SignInForm


def start_url(user) -> str:
    """Issue 13 item 6: each role lands on its own start page. A manager reads the dashboard,
    a caseworker their own cases, a panel chair or member their panels, a partner their advice
    inbox. Someone holding several roles gets the first that applies in that order."""
    if may_see_reports(user):
        return reverse("reports:dashboard")
    if has_role(user, Role.CASEWORKER):
        return reverse("cases:list")
    if has_role(user, Role.PANEL_CHAIR, Role.PANEL_MEMBER) and may_use_panels(user):
        return reverse("panels:list")
    if has_role(user, Role.PARTNER):
        return reverse("advice:inbox")
    if may_use_case_area(user):
        return reverse("cases:list")
    return reverse("notifications:inbox")


def home(request):
    """`/`: a family member's requests, the signed-in staff member's start page, otherwise
    the sign-in page."""
    if is_family_member(request.user):
        return redirect("families:home")
    if request.user.is_authenticated:
        return redirect(start_url(request.user))
    return redirect("login")


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = SignInForm

    def get_default_redirect_url(self):
        """Each role lands on its own start page (issue 13 item 6); a family member on theirs."""
        if is_family_member(self.request.user):
            return reverse("families:home")
        return start_url(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        items = []
        if form.is_bound:
            for name, messages in form.errors.items():
                anchor = f"#{form[name].id_for_label}" if name in form.fields else "#id_username"
                items.extend({"text": message, "href": anchor} for message in messages)
        context["error_items"] = items
        return context


def not_found(request, exception=None):
    """404: under /api/ the API's one error shape (an address no route matches, such as a
    negative id, is answered like a missing record); elsewhere the GOV.UK page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body(status_code=404, code="not_found", message="Not found."), status=404
        )
    return defaults.page_not_found(request, exception)
