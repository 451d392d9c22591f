"""The child and the family on the case page, and the pages that correct them (section 10).
Caseworkers and managers only; every change goes through cases.intake, which audits it with
before and after values."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from . import deadlines, errors, intake, selectors
from .intake_forms import ChildDetailsForm, ConsentForm, ParentCarerForm
from .models import ParentCarer
from .roles import may_change_case
from .views import _form_errors, case_area

FAMILY_SECTION_TEMPLATE = "cases/family/section.html"
CHILD_UPDATED = "{name}'s details updated."
CONSENT_UPDATED = "The young person's consent recorded."
PERSON_ADDED = "{name} added."
PERSON_UPDATED = "{name}'s details updated."


def family_section(*, request, case, today):
    """The child (and, once a young person, that decisions go to them and whether they consent
    to their parents seeing the case) and every person with parental responsibility."""
    if not may_change_case(case, request.user):
        return None
    child = case.child
    people = list(child.parent_carers.order_by("-has_parental_responsibility", "name", "pk"))
    refusal = selectors.recent_assessment_refusal(child_id=child.pk, received_on=case.received_on)
    return FAMILY_SECTION_TEMPLATE, {
        "child": child,
        "people": people,
        "young_person": child.is_young_person(today),
        "young_person_from": deadlines.young_person_from(child.date_of_birth),
        "refusal": refusal if refusal is not None and refusal.pk != case.pk else None,
    }


def _family_case(request, reference):
    case = selectors.case_get(user=request.user, reference=reference, today=timezone.localdate())
    if not may_change_case(case, request.user):
        raise PermissionDenied
    return case


def _case_url(case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#family"


def _add_service_errors(form, exc: ValidationError) -> None:
    for field, field_messages in exc.message_dict.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _edit_page(request, case, template, form, title, **extra):
    return render(
        request,
        f"cases/family/{template}",
        {
            "case": case,
            "form": form,
            "title": title,
            "back_url": _case_url(case),
            "error_items": _form_errors(form) if form.is_bound else [],
            **extra,
        },
        status=400 if form.is_bound else 200,
    )


def _child_initial(child) -> dict:
    initial = {name: getattr(child, name) for name in ChildDetailsForm.base_fields}
    initial["in_year_9_or_above"] = "yes" if child.in_year_9_or_above else "no"
    return initial


@case_area
def case_child_edit(request, reference):
    case = _family_case(request, reference)
    child = case.child
    form = ChildDetailsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            child = intake.child_update(
                actor=request.user, child=child, data=form.cleaned_data, case=case
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, CHILD_UPDATED.format(name=child.full_name))
            return redirect(_case_url(case))
    if not form.is_bound:
        form = ChildDetailsForm(initial=_child_initial(child))
    return _edit_page(request, case, "child.html", form, f"Change {child.full_name}'s details")


@case_area
def case_consent_edit(request, reference):
    case = _family_case(request, reference)
    child = case.child
    if not child.is_young_person(timezone.localdate()):
        raise Http404("Not a young person.")
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            intake.child_update(
                actor=request.user, child=child, data=form.data_for_service(), case=case
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, CONSENT_UPDATED)
            return redirect(_case_url(case))
    if not form.is_bound:
        consents = {True: "yes", False: "no"}.get(child.young_person_consents_to_parents, "unknown")
        form = ConsentForm(initial={"consents": consents, "recorded_on": child.consent_recorded_on})
    return _edit_page(
        request, case, "consent.html", form, f"{child.full_name}'s consent", child=child
    )


def _person(case, parent_carer_id) -> ParentCarer:
    try:
        return ParentCarer.objects.get(pk=parent_carer_id, child_id=case.child_id)
    except ParentCarer.DoesNotExist as exc:
        raise Http404("No such person.") from exc


@case_area
def case_parent_carer_edit(request, reference, parent_carer_id=None):
    """Add a person to the child's family, or correct one."""
    case = _family_case(request, reference)
    person = _person(case, parent_carer_id) if parent_carer_id is not None else None
    form = ParentCarerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if person is None:
                person = intake.parent_carer_create(
                    actor=request.user, child=case.child, data=form.cleaned_data, case=case
                )
                message = PERSON_ADDED
            else:
                person = intake.parent_carer_update(
                    actor=request.user, parent_carer=person, data=form.cleaned_data, case=case
                )
                message = PERSON_UPDATED
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except errors.CaseForbiddenError as exc:
            raise PermissionDenied(exc.message) from exc
        else:
            messages.success(request, message.format(name=person.name))
            return redirect(_case_url(case))
    if not form.is_bound and person is not None:
        values = {name: getattr(person, name) for name in ParentCarerForm.base_fields}
        form = ParentCarerForm(initial=ParentCarerForm.initial_from(values))
    elif not form.is_bound:
        form = ParentCarerForm()
    title = (
        f"Change {person.name}'s details" if person else f"Add a person for {case.child.full_name}"
    )
    return _edit_page(request, case, "person.html", form, title, person=person)
