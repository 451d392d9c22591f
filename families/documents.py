"""The family's "All about me" answers as a PDF (plans.pdf.render_pdf, the one renderer), when
they send no document of their own: an advice submission always carries a document
(advice_requests.documents), and this one is the answers themselves, so the caseworker reads
them like any other advice."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.template.loader import render_to_string

from plans.pdf import render_pdf

PDF_TEMPLATE = "families/pdf/all_about_me.html"
PDF_FILENAME = "all-about-me.pdf"


def views_pdf(
    *, case, answers: list[dict], given_by: str, written_as: str, today: datetime.date
) -> ContentFile:
    """`answers`: [{"label": question, "answer": text}] in the order asked. No network: the
    renderer fetches only this service's own static files."""
    html = render_to_string(
        PDF_TEMPLATE,
        {
            "case": case,
            "child": case.child,
            "answers": answers,
            "given_by": given_by,
            "written_as": written_as,
            "today": today,
        },
    )
    return ContentFile(render_pdf(html), name=PDF_FILENAME)
