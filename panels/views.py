"""The panel pages: the panels list, a meeting's agenda (the chair edits it until published;
members read it), recording attendance and decisions, printable papers, the CSV and the
forward plan. Thin: the same selectors and services as the API. Work without JavaScript."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import has_transition_perm

from cases.errors import CaseError, CaseForbiddenError

from . import agenda, errors, selectors, services
from .forms import AddCaseForm, OutcomeForm, reference_example
from .models import (
    CHAIR,
    Agency,
    ItemStatus,
    MeetingStatus,
    PanelType,
    is_chair_or_manager,
)
from .selectors import may_use_panels

BUILT = "Agenda built: {count} item{plural} listed."
ADDED = "Case {reference} added to the agenda."
REMOVED = "Case {reference} taken off the agenda."
MOVED = "Agenda order saved."
PUBLISHED = "Agenda published: members have been sent their papers."
ATTENDANCE_SAVED = "Attendance recorded: {count} {people} present."
OUTCOME_SAVED = "Case {reference}: decision to {outcome} recorded."
#: The chair's answer for each person at the meeting.
PRESENT = "present"
APOLOGIES = "apologies"
ABSENT = "absent"
NOT_MOVABLE = "That item cannot move further."
CSV_HEADER = [
    "Position",
    "Reference",
    "Child initials",
    "Age",
    "Primary need",
    "Due date",
    "Days remaining",
    "Advice status",
    "Flags",
]


def person_name(user) -> str:
    """A person's name as people write it; the username only for an account with no name."""
    return user.get_full_name() or user.get_username()


def panel_area(view):
    """Signed in with a panel, caseworker or manager role (section 8): others get 403."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not may_use_panels(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@panel_area
def panel_list(request):
    today = timezone.localdate()
    panels = list(selectors.panels_visible_to(request.user).select_related("chair"))
    rows = [
        {"panel": panel, "next": selectors.next_meeting_of(panel=panel, today=today)}
        for panel in panels
    ]
    return render(request, "panels/panel_list.html", {"rows": rows})


@panel_area
def next_meeting(request, panel_id):
    """The chair's "next meeting": the earliest meeting still open."""
    panel = selectors.panel_get(user=request.user, panel_id=panel_id)
    upcoming = selectors.next_meeting_of(panel=panel, today=timezone.localdate())
    if upcoming is None:
        raise Http404("No upcoming meeting.")
    return redirect("panels:meeting", meeting_id=upcoming.pk)


def _people(meeting) -> list[dict]:
    """The chair and each active member with what was recorded for them (chair first)."""
    expected = services.meeting_people(meeting)
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=list(expected))}
    attendance = {a.user_id: a for a in meeting.attendance.all()}
    people = []
    for user_id, capacity in expected.items():
        recorded = attendance.get(user_id)
        if recorded is None:
            answer = ""
        elif recorded.present:
            answer = PRESENT
        elif recorded.apologies:
            answer = APOLOGIES
        else:
            answer = ABSENT
        people.append(
            {
                "user": users[user_id],
                "name": person_name(users[user_id]),
                "capacity": "Chair" if capacity == CHAIR else Agency(capacity).label,
                "is_chair": user_id == meeting.panel.chair_id,
                "answer": answer,
            }
        )
    return people


def _quorum(meeting, attendance_recorded: bool) -> dict | None:
    """Section 5: the statutory panel decides only with education, health and social care."""
    if meeting.panel.panel_type != PanelType.STATUTORY:
        return None
    missing = services.quorum_missing(meeting)
    return {
        "quorate": not missing,
        "missing": services.quorum_missing_words(missing),
        "recorded": attendance_recorded,
    }


def _meeting_page(request, meeting, *, status=200, error_items=None, add_form=None, people=None):
    today = timezone.localdate()
    lines = selectors.meeting_agenda(meeting=meeting, today=today)
    is_chair = is_chair_or_manager(meeting, request.user)
    decide = is_chair and meeting.status == MeetingStatus.PUBLISHED and meeting.date <= today
    listed = [line for line in lines if line.item.status == ItemStatus.LISTED]
    people = people or _people(meeting)
    attendance_recorded = any(person["answer"] for person in people)
    quorum = _quorum(meeting, attendance_recorded)
    return render(
        request,
        "panels/meeting.html",
        {
            "meeting": meeting,
            "panel": meeting.panel,
            "lines": lines,
            # Capacity is places on the agenda: a decided or deferred item keeps its place.
            "places_taken": len(lines),
            "undecided_count": len(listed),
            "first_listed": listed[0].item.pk if listed else None,
            "last_listed": listed[-1].item.pk if listed else None,
            "is_chair": is_chair,
            "may_edit": is_chair and meeting.status == MeetingStatus.SCHEDULED,
            "may_decide": decide and (quorum is None or quorum["quorate"]),
            "decisions_open": decide,
            "may_remove_moved_on": is_chair and meeting.status == MeetingStatus.PUBLISHED,
            "people": people,
            "attendance_recorded": attendance_recorded,
            "quorum": quorum,
            "add_form": add_form or AddCaseForm(),
            "reference_example": reference_example(),
            "error_items": error_items or [],
            "today": today,
        },
        status=status,
    )


def _errors_from(exc) -> tuple[int, list[dict]]:
    """A service's refusal as the page's status and error summary (as the case pages do)."""
    if isinstance(exc, ValidationError):
        return 400, [{"text": text, "href": ""} for text in exc.messages]
    status = 403 if isinstance(exc, CaseForbiddenError) else 409
    return status, [{"text": exc.message, "href": ""}]


@panel_area
def meeting_detail(request, meeting_id):
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    return _meeting_page(request, meeting)


def _meeting_action(action):
    """A chair's POST on a meeting: run the service, then back to the meeting page with a
    message; a refusal re-renders the page with its error summary and status."""

    @require_POST
    @panel_area
    def wrapper(request, meeting_id, **kwargs):
        meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
        try:
            message = action(request, meeting, **kwargs)
        except (ValidationError, CaseError) as exc:
            status, items = _errors_from(exc)
            meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
            return _meeting_page(request, meeting, status=status, error_items=items)
        messages.success(request, message)
        return redirect("panels:meeting", meeting_id=meeting.pk)

    wrapper.__name__ = action.__name__
    return wrapper


def _item(meeting, item_id):
    item = meeting.items.select_related("case", "meeting__panel").filter(pk=item_id).first()
    if item is None:
        raise Http404("No such agenda item.")
    return item


@_meeting_action
def meeting_build(request, meeting):
    agenda.agenda_build(meeting=meeting, actor=request.user)
    count = meeting.items.filter(status=ItemStatus.LISTED).count()
    return BUILT.format(count=count, plural="" if count == 1 else "s")


#: Issue 13 item 7: publishing cannot be undone (members are sent their papers at once).
PUBLISH_CONFIRM = "Confirm you want to publish: members are sent their papers at once."


@_meeting_action
def meeting_publish(request, meeting):
    if request.POST.get("confirm") != "on":
        if not has_transition_perm(meeting.publish, request.user):
            raise CaseForbiddenError(errors.CHAIR_ONLY)
        raise ValidationError({"confirm": PUBLISH_CONFIRM})
    services.agenda_publish(actor=request.user, meeting=meeting)
    return PUBLISHED


@_meeting_action
def item_remove(request, meeting, item_id):
    item = _item(meeting, item_id)
    agenda.agenda_item_remove(actor=request.user, item=item)
    return REMOVED.format(reference=item.case.reference)


@_meeting_action
def item_move(request, meeting, item_id):
    """Move up / move down buttons: swap with the neighbour and save the whole order."""
    order = list(
        meeting.items.filter(status=ItemStatus.LISTED)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    if item_id not in order:
        raise Http404("No such agenda item.")
    index = order.index(item_id)
    target = index - 1 if request.POST.get("direction") == "up" else index + 1
    if not 0 <= target < len(order):
        raise ValidationError(NOT_MOVABLE)
    order[index], order[target] = order[target], order[index]
    agenda.agenda_reorder(actor=request.user, meeting=meeting, item_ids=order)
    return MOVED


@require_POST
@panel_area
def meeting_attendance(request, meeting_id):
    """One answer per person (present, apologies, absent), or the API's `present` list."""
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    apologies = set()
    for key, answer in request.POST.items():
        if key.startswith("attendance-") and key.removeprefix("attendance-").isdigit():
            user_id = int(key.removeprefix("attendance-"))
            if answer == PRESENT:
                present.add(user_id)
            elif answer == APOLOGIES:
                apologies.add(user_id)
    try:
        rows = services.attendance_record(
            actor=request.user,
            meeting=meeting,
            present_user_ids=present,
            apologies_user_ids=apologies,
        )
    except ValidationError as exc:
        people = _people(meeting)
        for person in people:
            user_id = person["user"].pk
            person["answer"] = (
                PRESENT if user_id in present else APOLOGIES if user_id in apologies else ""
            )
        items = [{"text": text, "href": "#attendance"} for text in exc.messages]
        return _meeting_page(request, meeting, status=400, error_items=items, people=people)
    except CaseError as exc:
        status, items = _errors_from(exc)
        return _meeting_page(request, meeting, status=status, error_items=items)
    count = sum(row.present for row in rows)
    messages.success(
        request, ATTENDANCE_SAVED.format(count=count, people="person" if count == 1 else "people")
    )
    return redirect("panels:meeting", meeting_id=meeting.pk)


@require_POST
@panel_area
def meeting_add(request, meeting_id):
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    form = AddCaseForm(request.POST)
    if form.is_valid():
        try:
            item = agenda.agenda_item_add_by_reference(
                actor=request.user, meeting=meeting, reference=form.cleaned_data["case"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("case", message)
        except CaseError as exc:
            status, items = _errors_from(exc)
            return _meeting_page(request, meeting, status=status, error_items=items)
        else:
            messages.success(request, ADDED.format(reference=item.case.reference))
            return redirect("panels:meeting", meeting_id=meeting.pk)
    items = [{"text": m, "href": "#id_case"} for m in form.errors.get("case", [])]
    return _meeting_page(request, meeting, status=400, error_items=items, add_form=form)


def _decision_page(request, meeting, line, form, *, status=200, error_items=None):
    return render(
        request,
        "panels/item_decision.html",
        {
            "meeting": meeting,
            "panel": meeting.panel,
            "line": line,
            "form": form,
            "error_items": error_items or [],
        },
        status=status,
    )


def _next_to_decide(meeting, lines, after_position: int):
    """The next listed item the panel can decide (not moved on), after the one just decided."""
    waiting = [
        line for line in lines if line.item.status == ItemStatus.LISTED and not line.moved_on
    ]
    later = [line for line in waiting if line.item.position > after_position]
    return (later or waiting or [None])[0]


@panel_area
def item_outcome(request, meeting_id, item_id):
    """One item's decision at a time: GET shows its form, POST records it and opens the next
    item still waiting for a decision (the meeting page when none is left)."""
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    item = _item(meeting, item_id)
    today = timezone.localdate()
    lines = selectors.meeting_agenda(meeting=meeting, today=today)
    line = next((line for line in lines if line.item.pk == item.pk), None)
    if line is None:
        raise Http404("No such agenda item.")
    panel_type = meeting.panel.panel_type
    if request.method != "POST":
        if not is_chair_or_manager(meeting, request.user):
            raise PermissionDenied
        form = OutcomeForm(prefix=f"item{item.pk}", panel_type=panel_type)
        return _decision_page(request, meeting, line, form)
    form = OutcomeForm(request.POST, prefix=f"item{item.pk}", panel_type=panel_type)
    if form.is_valid():
        try:
            services.agenda_item_record_outcome(
                actor=request.user,
                item=item,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
                decline_reason=form.cleaned_data["decline_reason"],
                details=form.details(),
                today=today,
            )
        except ValidationError as exc:
            for field, field_messages in exc.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
        except CaseError as exc:
            status, items = _errors_from(exc)
            return _decision_page(request, meeting, line, form, status=status, error_items=items)
        else:
            item.refresh_from_db()
            messages.success(
                request,
                OUTCOME_SAVED.format(
                    reference=item.case.reference, outcome=item.get_outcome_display().lower()
                ),
            )
            meeting.refresh_from_db()
            following = None
            if meeting.status == MeetingStatus.PUBLISHED:
                lines = selectors.meeting_agenda(meeting=meeting, today=today)
                following = _next_to_decide(meeting, lines, item.position)
            if following is None:
                return redirect("panels:meeting", meeting_id=meeting.pk)
            return redirect("panels:item-outcome", meeting_id=meeting.pk, item_id=following.item.pk)
    items = [
        {"text": message, "href": f"#{form[name].auto_id}" if name in form.fields else ""}
        for name, field_errors in form.errors.items()
        for message in field_errors
    ]
    return _decision_page(request, meeting, line, form, status=400, error_items=items)


@panel_area
def meeting_print(request, meeting_id):
    """The agenda papers, laid out for printing (the navigation is hidden in print)."""
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    lines = selectors.meeting_agenda(meeting=meeting, today=timezone.localdate())
    return render(
        request,
        "panels/meeting_print.html",
        {"meeting": meeting, "panel": meeting.panel, "lines": lines},
    )


@panel_area
def meeting_csv(request, meeting_id):
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    lines = selectors.meeting_agenda(meeting=meeting, today=timezone.localdate())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"agenda-{meeting.panel.panel_type}-{meeting.date:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for line in lines:
        writer.writerow(
            [
                line.item.position,
                line.case.reference,
                line.child_initials,
                line.age,
                line.case.get_primary_need_display(),
                line.due_on.isoformat(),
                line.days_remaining,
                line.advice_status,
                "; ".join(line.flags),
            ]
        )
    return response


@panel_area
def forward_plan(request):
    today = timezone.localdate()
    visible = set(selectors.panels_visible_to(request.user).values_list("pk", flat=True))
    plan = [row for row in selectors.forward_plan(today=today) if row["panel"].pk in visible]
    return render(request, "panels/forward_plan.html", {"plan": plan})
