"""What every page's layout needs: the service's name and the navigation for the user's roles."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from cases.roles import Role, has_role, user_roles
from cases.visibility import may_use_case_area
from families.selectors import is_family_member
from panels.selectors import may_use_panels
from reports.access import may_see_reports

SERVICE_NAME = "EHC needs assessments"


def may_use_admin(request) -> bool:
    """Issue 14: the "Administration" link only for those the admin shows something to (a
    staff account with no admin permission would land on "You don't have permission")."""
    user = request.user
    return bool(user.is_active and user.is_staff and admin.site.get_app_list(request))


def _is_family(user) -> bool:
    """Without a query where it can: a family page has already looked the account up, and a
    family account holds no role (decision 0130), so a staff page need not look."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return False
    if get_user_model().family_member.is_cached(user):
        return is_family_member(user)
    return not user_roles(user) and is_family_member(user)


def layout(request):
    user = getattr(request, "user", None)
    items = []
    family = _is_family(user)
    if family:
        items.append(("Your requests", reverse("families:home")))
    elif user is not None and user.is_authenticated:
        if may_use_case_area(user):
            items.append(("Cases", reverse("cases:list")))
        if has_role(user, Role.PARTNER) and not user.is_superuser:
            items.append(("Advice requests", reverse("advice:inbox")))
            items.append(("Review reports", reverse("reviews:school")))
        if has_role(user, Role.CASEWORKER, Role.MANAGER):
            items.append(("Advice follow-up", reverse("advice:follow-up")))
            items.append(("Letters to send", reverse("plans:letter-queue")))
            items.append(("Annual reviews", reverse("reviews:list")))
        if may_use_panels(user):
            items.append(("Panels", reverse("panels:list")))
        if may_see_reports(user):
            items.append(("Dashboard", reverse("reports:dashboard")))
            items.append(("Import tracker", reverse("reports:import")))
            items.append(("Review outcomes", reverse("reviews:measures")))
            items.append(("SEN2 return", reverse("reports:sen2")))
        items.append(("API documentation", reverse("api:docs")))
        if may_use_admin(request):
            items.append(("Administration", reverse("admin:index")))
    path = request.path
    navigation = [
        {"text": text, "href": href, "active": path.startswith(href)} for text, href in items
    ]
    return {
        "service_name": SERVICE_NAME,
        "authority_name": settings.EHC_AUTHORITY_NAME,
        "navigation": navigation,
        "is_family": family,
    }
