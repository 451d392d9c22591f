"""Versions (section 12): issuing a draft freezes a version; revising makes the next; every
render has sections A to K; a draft never names a school, the final always does."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry
from cases.history import describe
from cases.record_models import CaseDocument, CaseDocumentType
from cases.record_services import case_document_open
from cases.services import case_transition
from plans import documents, errors, services
from plans.models import Letter, Plan, PlanVersion, Section, VersionFrozenError
from plans.pdf import PDF_MAGIC, FetchRefusedError, local_static_fetcher
from plans.render import versions_diff
from tests.cases.factories import TODAY, case_in_status, caseworker

from .factories import write_plan

pytestmark = pytest.mark.django_db
SCHOOL = "Willowbrook Primary (synthetic)"


def _drafted(setting_name=SCHOOL):
    actor = caseworker()
    case = case_in_status("drafting", actor=actor)
    write_plan(case, actor, setting_name=setting_name)
    return case, actor


def _issue(case, actor, transition, day):
    return case_transition(
        actor=actor,
        case=case,
        transition=transition,
        effective_date=case.received_on + datetime.timedelta(days=day),
        reason="The family's comments (synthetic).",
        today=TODAY,
    )


def test_issuing_the_draft_freezes_version_one_without_the_school():
    case, actor = _drafted()
    _issue(case, actor, "issue_draft", 125)
    version = PlanVersion.objects.get(plan__case=case)
    assert (version.number, version.kind) == (1, "draft")
    assert version.issued_on == case.received_on + datetime.timedelta(days=125)
    for section in Section.values:
        assert f'id="section-{section}"' in version.html
    assert SCHOOL not in version.html
    assert "name" not in version.snapshot["sections"]["I"]
    assert "Mainstream primary school" in version.html


def test_the_final_plan_names_the_school_and_every_section():
    case, actor = _drafted()
    case = _issue(case, actor, "issue_draft", 125)
    _issue(case, actor, "issue_final", 140)
    final = PlanVersion.objects.get(plan__case=case, number=2)
    assert final.kind == "final"
    assert SCHOOL in final.html
    for section in Section.values:
        assert f'id="section-{section}"' in final.html


def test_no_final_plan_without_a_named_setting():
    case, actor = _drafted(setting_name="")
    case = _issue(case, actor, "issue_draft", 125)
    with pytest.raises(ValidationError) as excinfo:
        _issue(case, actor, "issue_final", 140)
    assert excinfo.value.message_dict["plan"] == [errors.NO_FINAL_PLAN]
    case.refresh_from_db()
    assert case.status == "draft_issued"
    assert PlanVersion.objects.filter(plan__case=case).count() == 1


def test_no_draft_without_a_plan():
    actor = caseworker()
    case = case_in_status("drafting", actor=actor)
    with pytest.raises(ValidationError) as excinfo:
        _issue(case, actor, "issue_draft", 125)
    assert excinfo.value.message_dict["plan"] == [errors.NO_PLAN_TO_ISSUE]
    case.refresh_from_db()
    assert case.status == "drafting"


def test_revising_makes_the_next_version_and_the_diff_names_what_changed():
    case, actor = _drafted()
    case = _issue(case, actor, "issue_draft", 120)
    case = _issue(case, actor, "revise_draft", 122)
    plan = Plan.objects.get(case=case)
    assert services.next_version_number(plan) == 2
    services.plan_update(actor=actor, plan=plan, data={"health_needs": "Asthma: inhaler in class."})
    case = _issue(case, actor, "issue_draft", 125)
    one, two = PlanVersion.objects.filter(plan=plan).order_by("number")
    assert (two.number, two.kind) == (2, "draft")
    changed = [
        row["section"] for row in versions_diff(one.snapshot, two.snapshot) if row["changed"]
    ]
    assert changed == ["C"]


def test_an_issued_version_cannot_be_changed_by_the_application():
    case, actor = _drafted()
    _issue(case, actor, "issue_draft", 125)
    version = PlanVersion.objects.get(plan__case=case)
    version.html = "rewritten"
    with pytest.raises(VersionFrozenError):
        version.save()
    with pytest.raises(VersionFrozenError):
        PlanVersion.objects.filter(pk=version.pk).update(html="rewritten")
    with pytest.raises(VersionFrozenError):
        version.delete()
    assert PlanVersion.objects.get(pk=version.pk).html != "rewritten"


def test_the_pdf_is_made_once_from_the_frozen_html():
    case, actor = _drafted()
    _issue(case, actor, "issue_draft", 125)
    version = PlanVersion.objects.get(plan__case=case)
    assert version.pdf is None
    data = documents.version_pdf(version)
    assert data.startswith(PDF_MAGIC)
    assert len(data) > 5000  # noqa: PLR2004 - a real document, not an empty page
    assert bytes(PlanVersion.objects.get(pk=version.pk).pdf) == data
    letters_waiting = Letter.objects.filter(pdf__isnull=True).count()
    assert documents.render_pending() == letters_waiting  # the version's own is made already


def test_the_issued_pdfs_are_filed_among_the_cases_documents_once():
    case, actor = _drafted()
    _issue(case, actor, "issue_draft", 125)
    version = PlanVersion.objects.get(plan__case=case)
    documents.version_pdf(version)
    documents.version_pdf(PlanVersion.objects.get(pk=version.pk))
    documents.render_pending()
    documents.render_pending()
    filed = list(CaseDocument.objects.filter(case=case).order_by("id"))
    plans = [d for d in filed if d.document_type == CaseDocumentType.PLAN]
    assert [(d.title, d.dated_on, d.content_type) for d in plans] == [
        ("Draft plan, version 1", version.issued_on, "application/pdf")
    ]
    assert plans[0].uploaded_by is None
    letters = [d for d in filed if d.document_type == CaseDocumentType.CORRESPONDENCE]
    assert len(letters) == Letter.objects.filter(case=case).count() > 0
    assert all(d.title.startswith("Letter: ") for d in letters)
    filed_entry = AuditEntry.objects.filter(verb="case_document.add", case=case).first()
    assert filed_entry.actor is None
    assert describe(filed_entry, {}) == "Document added to the case's papers"
    download = case_document_open(document=plans[0])
    with download.file as handle:
        assert handle.read() == bytes(PlanVersion.objects.get(pk=version.pk).pdf)


def test_the_renderer_fetches_nothing_from_the_network():
    with pytest.raises(FetchRefusedError):
        local_static_fetcher("http://example.invalid/tracker.png")
    with pytest.raises(FetchRefusedError):
        local_static_fetcher("file:///etc/passwd")


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE plans_planversion SET html = 'rewritten' WHERE id = %s",
        "DELETE FROM plans_planversion WHERE id = %s",
        "UPDATE plans_planversion SET pdf = 'x', html = 'rewritten' WHERE id = %s",
    ],
)
def test_postgres_refuses_to_change_an_issued_version(sql):
    case, actor = _drafted()
    _issue(case, actor, "issue_draft", 125)
    version = PlanVersion.objects.get(plan__case=case)
    with (
        pytest.raises(DatabaseError, match="issued plan version"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [version.pk])
    assert PlanVersion.objects.get(pk=version.pk).html == version.html


def test_a_provision_start_date_is_written_in_words_in_the_plan_and_what_changed():
    case, actor = _drafted()
    case.plan.provision.filter(what__startswith="Individual").update(
        starts_on=datetime.date(2026, 9, 1)
    )
    _issue(case, actor, "issue_draft", 125)
    version = PlanVersion.objects.get(plan__case=case)
    assert "1 September 2026" in version.html
    assert "2026-09-01" not in version.html


@pytest.mark.django_db(transaction=True)
def test_issuing_a_draft_reads_the_plan_once_and_nudges_the_renderer_once(monkeypatch):
    """The step's hooks share what the step already has (issue 20, benchmark 5): the plan is
    locked and read in one statement, the letters take the step's reason from the step (not
    from its audit row, read back), and the version's and the letters' PDFs are rendered by
    one nudge to the worker once the step commits."""
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    case, actor = _drafted()
    nudges = []
    monkeypatch.setattr(documents, "_send_render_task", lambda: nudges.append(1))
    with CaptureQueriesContext(connection) as queries:
        _issue(case, actor, "issue_draft", 125)
    statements = [query["sql"] for query in queries]
    assert len([sql for sql in statements if sql.startswith('SELECT "plans_plan"."id"')]) == 1
    assert not [sql for sql in statements if sql.startswith('SELECT "audit_auditentry"')]
    assert nudges == [1]
    assert Letter.objects.filter(case=case, notice__kind="issue_draft").count() >= 1
    assert PlanVersion.objects.filter(plan__case=case).count() == 1


def test_the_decision_letter_gives_the_reason_the_step_was_given():
    actor = caseworker()
    case = case_in_status("assessing", actor=actor)
    case_transition(
        actor=actor,
        case=case,
        transition="decline_to_issue",
        effective_date=case.received_on + datetime.timedelta(days=100),
        reason="The school can meet these needs from its own resources (synthetic).",
        today=TODAY,
        confirm_outstanding_advice=True,
    )
    letter = Letter.objects.get(case=case, notice__kind="decline_to_issue")
    assert "The school can meet these needs from its own resources (synthetic)." in letter.html


def test_a_render_nudge_in_a_savepoint_rolled_back_is_queued_again(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                documents.render_after_commit()
                raise DatabaseError("synthetic")
        except DatabaseError:
            pass
        documents.render_after_commit()
        documents.render_after_commit()
    assert callbacks == [documents._send_render_task]
