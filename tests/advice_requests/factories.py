"""Factories for advice: built through the services, as in real use."""

import datetime
import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from advice_requests.models import AdviceKind, PartnerService, PartnerServiceKind, ServiceMembership
from advice_requests.services import (
    advice_request_create,
    advice_request_submit,
    advice_request_transition,
)
from cases.roles import Role
from cases.services import case_transition
from tests.cases.factories import TODAY, UserFactory, advice_chosen, caseworker, make_case

#: Cases below are agreed for assessment on this day, and extra advice is requested on it.
AGREED_ON = datetime.date(2026, 10, 1)


class PartnerServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerService

    name = factory.Sequence(lambda n: f"Synthetic Service {n}")
    kind = PartnerServiceKind.SALT
    contact_email = factory.Sequence(lambda n: f"service{n}@example.invalid")


def partner(service, *, joined_on=datetime.date(2026, 1, 1), **kwargs):
    """A partner user who is a current member of `service`."""
    user = UserFactory(roles=[Role.PARTNER], **kwargs)
    ServiceMembership.objects.create(service=service, user=user, joined_on=joined_on)
    return user


def assessing_case(*, actor=None, received_on=datetime.date(2026, 8, 20), **kwargs):
    """A case agreed for assessment on AGREED_ON with the minimum advice (EP, family views)."""
    actor = actor or caseworker()
    case = make_case(actor=actor, received_on=received_on, **kwargs)
    return case_transition(
        actor=actor,
        case=case,
        transition="agree_to_assess",
        effective_date=AGREED_ON,
        today=TODAY,
        details=advice_chosen(),
    )


def make_advice(*, case=None, service=None, actor=None, requested_on=AGREED_ON, kind=None):
    """A request for health advice from `service` (a new SALT service if none given)."""
    case = case or assessing_case()
    actor = actor or case.caseworker
    return advice_request_create(
        actor=actor,
        case=case,
        kind=kind or AdviceKind.HEALTH,
        service=service or PartnerServiceFactory(),
        question="What are the child's communication needs?",
        requested_on=requested_on,
        today=max(requested_on, TODAY),
    )


# --- Real (tiny) documents ------------------------------------------------------------------

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>'
    "</Types>"
)
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Synthetic advice.</w:t></w:r></w:p></w:body></w:document>"
)


def docx_bytes(*, macros=False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        main = _DOCM_MAIN if macros else _DOCX_MAIN
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(main=main))
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", _DOCUMENT)
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def upload(content: bytes = PDF_BYTES, name: str = "advice.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


SUMMARY = {
    "needs": "Synthetic needs.",
    "outcomes_sought": "Synthetic outcomes.",
    "provision": "Synthetic provision.",
}


def advice_in_status(status, *, service=None, case=None):
    """An advice request walked to `status` by the people allowed to move it."""
    service = service or PartnerServiceFactory()
    advice = make_advice(case=case, service=service)
    member = partner(service)
    worker = advice.case.caseworker

    def step(actor, name, reason=""):
        return advice_request_transition(
            actor=actor, advice=advice, transition=name, reason=reason, today=TODAY
        )

    if status == "requested":
        return advice
    if status == "cancelled":
        return step(worker, "cancel", "No longer needed (synthetic).")
    if status == "declined":
        return step(member, "decline", "Not known to us (synthetic).")
    advice = step(member, "accept")
    if status == "accepted":
        return advice
    advice_request_submit(actor=member, advice=advice, document=upload(), today=TODAY, **SUMMARY)
    advice.refresh_from_db()
    if status == "submitted":
        return advice
    advice = step(worker, "return_for_quality", "Does not answer the question (synthetic).")
    assert status == "returned"
    return advice
