"""Sign in and out (Django auth), in the GOV.UK layout."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse

from cases.roles import Role, has_role
from cases.views import home as staff_home
from cases.visibility import may_use_case_area
from families.selectors import is_family_member


def home(request):
    """`/`: a family member's requests; staff land where cases.views.home sends them."""
    if is_family_member(request.user):
        return redirect("families:home")
    return staff_home(request)


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """A partner lands on their advice inbox: the case list is not theirs (section 8)."""
        user = self.request.user
        if is_family_member(user):
            return reverse("families:home")
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
