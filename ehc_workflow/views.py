"""Sign in and out (Django auth), in the GOV.UK layout."""

from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import reverse
from django.views import defaults

from cases.roles import Role, has_role
from cases.visibility import may_use_case_area
from ehc_workflow.api import error_body
from security.forms import SignInForm


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = SignInForm

    def get_default_redirect_url(self):
        """A partner lands on their advice inbox: the case list is not theirs (section 8)."""
        user = self.request.user
        if not may_use_case_area(user) and has_role(user, Role.PARTNER):
            return reverse("advice:inbox")
        return super().get_default_redirect_url()

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
