"""The demo borough's everyday record (section 10): on some cases being assessed, a phone call
with the family, a request letter (a small synthetic PDF) shared with the educational
psychology request, and chased advice (some chased today, some chased over a week ago, so the
follow-up page has something to list). Called from demo.borough.seed_demo once the cases exist;
a few dozen rows, so seeding stays fast."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cases.models import Case, ContactKind, ParentCarer
from cases.record_services import case_document_shares_set, case_document_store, case_note_record

from .chase import advice_request_chase
from .models import AdviceKind, AdviceRequest

#: How many cases being assessed get a record (the first by reference).
DEMO_RECORD_CASES = 12


def synthetic_pdf(*lines: str) -> bytes:
    """A valid one-page PDF showing `lines` (ASCII, synthetic): no renderer needed."""
    text = "".join(
        f"BT /F1 12 Tf 50 {760 - 20 * n} Td ({line.encode('ascii', 'replace').decode()}) Tj ET\n"
        for n, line in enumerate(lines)
    )
    stream = text.replace("\\", "\\\\").encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"endstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


def _record_case(case: Case, ep: AdviceRequest, *, index: int, today: datetime.date) -> None:
    worker = case.caseworker
    parent = ParentCarer.objects.filter(child_id=case.child_id).order_by("pk").first()
    case_note_record(
        actor=worker,
        case=case,
        kind=ContactKind.PHONE_CALL,
        occurred_on=max(case.received_on, today - datetime.timedelta(days=3 + index)),
        with_parent_carer=parent,
        summary=(
            "Parent rang to ask when the educational psychologist will visit. Explained the "
            "6-week advice period and agreed to call back after chasing (synthetic)."
        ),
        today=today,
    )
    letter = case_document_store(
        actor=worker,
        case=case,
        document=synthetic_pdf(
            "Request for an EHC needs assessment (synthetic demo letter)",
            f"Case {case.reference}",
            f"Received {case.received_on:%d %B %Y}",
            "No real person is described in this document.",
        ),
        filename=f"request-letter-{case.reference}.pdf",
        document_type="request_letter",
        title="Request letter",
        dated_on=case.received_on,
        today=today,
    )
    case_document_shares_set(actor=worker, advice_request=ep, documents=[letter])
    if index % 3 == 2:  # some left unchased, for the follow-up page's list
        return
    chased_on = today - datetime.timedelta(days=0 if index % 3 == 0 else 9)
    advice_request_chase(
        actor=worker,
        advice=ep,
        now=timezone.make_aware(datetime.datetime.combine(chased_on, datetime.time(10))),
    )


def seed_casework_record(*, today: datetime.date) -> int:
    """Notes, shared letters and chases on the first DEMO_RECORD_CASES cases being assessed
    whose educational psychology advice is still outstanding. Returns how many cases."""
    requests = list(
        AdviceRequest.objects.outstanding()
        .filter(
            kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY,
            case__status="assessing",
            case__caseworker__isnull=False,
            service__isnull=False,
        )
        .select_related("case__caseworker", "service")
        # The council's own EP service first (its demo login sees the shared papers).
        .order_by("service__name", "case__reference")[:DEMO_RECORD_CASES]
    )
    for index, ep in enumerate(requests):
        _record_case(ep.case, ep, index=index, today=today)
    return len(requests)
