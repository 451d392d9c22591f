"""The manager's SEN2 page: choose the year, see what blocks the return, download the files."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .access import may_see_reports
from .sen2 import MODULES, census_date, export_sen2, sen2_rows
from .sen2_validation import validate

#: The parts of the return as the page names them.
MODULE_LABELS = {
    "person": "Children and young people (module 1)",
    "requests": "Requests for assessment (module 2)",
    "assessment": "Assessments (module 3)",
    "named_plan": "Plans (module 4a)",
    "plan_detail": "Settings named in plans (module 4b)",
    "active_plans": "Plans active on the census date (module 5a)",
    "placement_detail": "Placements (module 5b)",
    "sen_need": "Types of need (module 5c)",
}
YEAR_INVALID = "Enter a calendar year from 2014, for example 2026."


class Sen2Form(forms.Form):
    year = forms.IntegerField(
        min_value=2014,
        max_value=9998,
        label="Calendar year of the return",
        help_text="The return collected in January covers the year before it.",
        error_messages={
            "required": YEAR_INVALID,
            "invalid": YEAR_INVALID,
            "min_value": YEAR_INVALID,
            "max_value": YEAR_INVALID,
        },
    )


@login_required
def sen2_page(request):
    """GET ?year=: the check and its problems; ?year=&download=1: the zip, only when valid."""
    if not may_see_reports(request.user):
        raise PermissionDenied
    default_year = timezone.localdate().year - 1
    form = Sen2Form(request.GET or {"year": default_year})
    context = {"form": form, "error_items": []}
    status = 200
    if not form.is_valid():
        context["error_items"] = [
            {"text": message, "href": "#id_year"} for message in form.errors.get("year", [])
        ]
        return render(request, "reports/sen2.html", context, status=400)
    year = form.cleaned_data["year"]
    modules = sen2_rows(year=year)
    problems = validate(modules, census=census_date(year + 1))
    if request.GET.get("download") and not problems:
        return _zip_response(year, modules)
    context |= {
        "year": year,
        "census": census_date(year + 1),
        "problems": problems,
        "counts": [(MODULE_LABELS[name], len(modules[name])) for name in MODULES],
    }
    return render(request, "reports/sen2.html", context, status=status)


def _zip_response(year: int, modules: dict) -> HttpResponse:
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as directory:
        written = export_sen2(year=year, output=Path(directory), modules=modules)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in written:
                archive.write(Path(directory) / name, arcname=name)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="sen2_{year}.zip"'
    response["Cache-Control"] = "no-store"
    return response
