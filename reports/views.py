"""The manager's pages: the dashboard, its CSV downloads, and the tracker upload. Thin: each
calls the same selectors and services as the API and the management commands."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from cases.deadlines import Risk
from plans import selectors as plan_selectors

from . import advice, dashboard, selectors, timeliness
from .access import may_see_reports
from .chart import timeliness_chart
from .forms import TrackerUploadForm
from .headlines import headlines
from .services import ImportActorError, TrackerImportError, tracker_import
from .summary import dashboard_figures
from .tracker_import import COLUMNS, REQUIRED_COLUMNS, read_tracker

IMPORTED = "Imported {cases}{exceptions}."
DRY_RUN_OK = "Dry run: {rows} valid and would import{exceptions}. Nothing was written."
NOTHING_IMPORTED = "{problems} found: nothing was imported."


def counted(count: int, one: str, many: str | None = None) -> str:
    """'1 case', '2 cases': a number with its noun, in the right plural (issue 14)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _with_exception(count: int) -> str:
    return f" ({counted(count, 'with an exception', 'with an exception')})" if count else ""


def import_message(result, tracker, *, dry_run: bool):
    """The import's success message as a sentence, linking to what was made: the case itself
    when there is one, otherwise the case list (issue 14)."""
    if dry_run:
        every = "the row is" if result.cases == 1 else f"all {result.cases} rows are"
        return DRY_RUN_OK.format(rows=every, exceptions=_with_exception(result.exceptions))
    text = IMPORTED.format(
        cases=counted(result.cases, "case"), exceptions=_with_exception(result.exceptions)
    )
    references = [row.values.get("reference") for row in tracker.rows]
    if result.cases == 1 and references and references[0]:
        href = reverse("cases:detail", args=[references[0]])
        return format_html(
            '{} <a class="govuk-link" href="{}">Open case {}</a>.', text, href, references[0]
        )
    href = f"{reverse('cases:list')}?scope=all&ordering=-received_on"
    return format_html('{} <a class="govuk-link" href="{}">See the cases</a>.', text, href)


def manager_page(view):
    """Signed in (else the sign-in page) and a manager (else 403): section 8."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not may_see_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@manager_page
def dashboard_page(request):
    """One page a head of service reads on Monday morning (issue 7)."""
    today = timezone.localdate()
    report = timeliness.timeliness_report(year=today.year)
    advice_range = {"requested_from": today.replace(month=1, day=1), "requested_to": today}
    # The open-case counts (one pass feeds stage x risk, caseload and ageing: decision 0076),
    # the advice follow-up and the panel decisions come from the stored summary (one query,
    # decision 0160), or are counted live when there is none for today.
    summary = dashboard_figures(today=today)
    counts = summary.open_cases
    fresh = summary.freshness
    tables = {
        "status_risk": dashboard.status_risk_table(today=today, counts=counts, caption=fresh),
        "overdue": dashboard.attention_table(today=today, risk=Risk.OVERDUE),
        "at_risk": dashboard.attention_table(today=today, risk=Risk.AT_RISK),
        "timeliness": dashboard.timeliness_table(report),
        "advice_by_service": dashboard.advice_table(
            advice.advice_timeliness(today=today, by="service", **advice_range)
        ),
        "advice_by_kind": dashboard.advice_table(
            advice.advice_timeliness(today=today, by="kind", **advice_range)
        ),
        "panel_conversion": dashboard.conversion_table(summary.panel_conversion, caption=fresh),
        "caseload": dashboard.caseload_table(today=today, counts=counts, caption=fresh),
        "ageing": dashboard.ageing_table(today=today, counts=counts, caption=fresh),
        "exceptions_waiting": dashboard.exceptions_table(),
    }
    figures = headlines(
        today=today,
        report=report,
        status_risk=selectors.open_cases_by_status_and_risk(today=today, counts=counts),
        advice_by_service=summary.advice_by_service,
        waiting=dashboard.exceptions_waiting().count(),
        counted=summary.short_freshness,
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "today": today,
            "tables": tables,
            "chart": timeliness_chart(report),
            "child_voice": plan_selectors.child_voice_share(year=today.year),
            "headlines": figures,
            "summary": summary,
        },
    )


@manager_page
def dashboard_csv(request, table):
    """Every dashboard table as CSV, every row and column, percentages rounded for people as
    the page shows them (issue 14; the API keeps them exact: decision 0093)."""
    if table not in dashboard.TABLE_NAMES:
        raise Http404(table)
    today = timezone.localdate()
    built = dashboard.build_table(table, today=today)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table}-{today.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(built.headers)
    for row in built.rows:
        writer.writerow([cell.csv_value for cell in row])
    return response


@manager_page
def tracker_upload(request):
    """The tracker import as a page: the same reading, checks and import as `import_cases`."""
    bound = request.method == "POST"
    form = TrackerUploadForm(request.POST if bound else None, request.FILES if bound else None)
    row_errors = []
    error_items = []
    if request.method == "POST" and form.is_valid():
        today = timezone.localdate()
        dry_run = form.cleaned_data["dry_run"]
        tracker = read_tracker(form.cleaned_data["tracker"].read(), today=today)
        try:
            result = tracker_import(
                actor_username=request.user.get_username(),
                tracker=tracker,
                today=today,
                dry_run=dry_run,
            )
        except TrackerImportError as exc:
            row_errors = exc.errors
            problems = counted(len(exc.errors), "problem")
            error_items = [{"text": NOTHING_IMPORTED.format(problems=problems)}] + [
                {"text": str(error), "href": "#import-errors"} for error in exc.errors
            ]
        except ImportActorError as exc:
            error_items = [{"text": str(exc)}]
        else:
            messages.success(request, import_message(result, tracker, dry_run=dry_run))
            return redirect("reports:import")
    elif form.errors:
        error_items = [
            {"text": message, "href": f"#id_{name}"}
            for name, errors in form.errors.items()
            for message in errors
        ]
    return render(
        request,
        "reports/tracker_upload.html",
        {
            "form": form,
            "row_errors": row_errors,
            "error_items": error_items,
            "columns": COLUMNS,
            "required_columns": REQUIRED_COLUMNS,
        },
        status=400 if error_items else 200,
    )
