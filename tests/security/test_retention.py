"""Retention (decision 0064): records past date of birth + 31 years are restricted, then deleted
30 days later with everything held about the child; nothing else is touched."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from advice_requests.access import advice_request_open, case_paper_open
from advice_requests.advice_exceptions import advice_exception_propose
from advice_requests.chase import advice_request_chase
from advice_requests.models import AccessLog, AdviceRequest
from advice_requests.services import advice_request_submit, advice_request_transition
from audit.models import AuditEntry, AuditImmutableError
from cases.exception_services import exception_propose
from cases.models import Case, Child, ExceptionGround, ParentCarer
from cases.record_services import case_document_shares_set, case_document_store, case_note_record
from cases.services import case_transition
from ehc_workflow.celery import RETENTION, app, beat_schedule
from notifications.selectors import inbox
from panels.models import AgendaItem
from panels.selectors import meeting_agenda
from security import retention as retention_module
from security.child_erasure import erasure_plan
from security.models import RecordAccess, RetentionRun
from security.retention import (
    HELD_OPEN_CASE,
    Policy,
    is_past_retention,
    retention_apply,
    retention_ends_on,
)
from tests.advice_requests.factories import (
    PDF_BYTES,
    SUMMARY,
    PartnerServiceFactory,
    assessing_case,
    make_advice,
    partner,
    upload,
)
from tests.cases.factories import TODAY, ChildFactory, caseworker, make_case, manager
from tests.notifications.factories import notification_for
from tests.panels.factories import PanelFactory, meeting

pytestmark = pytest.mark.django_db

D = datetime.date
#: The day the policy is applied in most tests: a child born on 15 June 2000 turned 31
#: yesterday (past retention); one born on 16 June 2000 turns 31 today (not yet).
RUN_ON = D(2031, 6, 16)
PAST = D(2000, 6, 15)
BIRTHDAY_TODAY = D(2000, 6, 16)
DELETE_ON = RUN_ON + datetime.timedelta(days=30)


# --- A child with a row in every table ----------------------------------------------------


def child_with_everything(*, born: D, marker: bytes) -> Child:
    """A closed case with advice (a submitted document, an exception, both access logs), a
    case exception, an agenda item, a notification and a parent carer: built through the
    services where they exist, so the audit trail is the real one."""
    worker = caseworker()
    service = PartnerServiceFactory()
    case = assessing_case(actor=worker)
    advice = make_advice(case=case, service=service, actor=worker)
    member = partner(service)
    # The everyday record (section 10): a chase, a note and its correction, a document shared
    # with the advice request and read by the partner.
    advice_request_chase(actor=worker, advice=advice)
    note, _ = case_note_record(
        actor=worker, case=case, kind="phone_call", occurred_on=TODAY, summary="Synthetic."
    )
    case_note_record(
        actor=worker,
        case=case,
        kind="phone_call",
        occurred_on=TODAY,
        summary="Fixed.",
        corrects=note,
    )
    paper = case_document_store(
        actor=worker,
        case=case,
        document=PDF_BYTES + marker + b"-paper",
        filename="letter.pdf",
        document_type="request_letter",
        title="Request letter",
        dated_on=TODAY,
        today=TODAY,
    )
    case_document_shares_set(actor=worker, advice_request=advice, documents=[paper])
    case_paper_open(actor=member, advice_request_id=advice.pk, document_id=paper.pk).file.close()
    advice = advice_request_transition(
        actor=member, advice=advice, transition="accept", reason="", today=TODAY
    )
    advice_request_submit(
        actor=member, advice=advice, document=upload(PDF_BYTES + marker), today=TODAY, **SUMMARY
    )
    advice_request_open(actor=member, advice_request_id=advice.pk, ip_address="192.0.2.1")
    advice_exception_propose(
        actor=worker,
        advice=advice,
        ground="missed_appointment",
        starts_on=TODAY,
        notes="Synthetic evidence.",
    )
    exception_propose(
        actor=worker,
        case=case,
        ground=ExceptionGround.SCHOOL_CLOSURE,
        starts_on=TODAY,
        notes="Synthetic evidence.",
    )
    panel = PanelFactory()
    AgendaItem.objects.create(meeting=meeting(panel, TODAY), case=case, position=1, source="built")
    notification_for(worker, number=case.pk, case=case)
    RecordAccess.objects.create(
        user_id=worker.pk,
        username=worker.username,
        child_id=case.child_id,
        case_reference=case.reference,
        what="case record page",
        path="/",
    )
    ParentCarer.objects.create(child=case.child, name="Synthetic Parent")
    case_transition(
        actor=worker,
        case=case,
        transition="withdraw",
        effective_date=TODAY,
        reason="Family moved away (synthetic).",
        today=TODAY,
    )
    Child.objects.filter(pk=case.child_id).update(date_of_birth=born)
    return Child.objects.get(pk=case.child_id)


def held_about(child: Child) -> dict:
    """Every row held about the child (as the subject access export finds them), plus the
    audit entries about them, and the documents' files: a snapshot to compare."""
    plan = erasure_plan(child=child)
    rows = {model._meta.label_lower: sorted(pks) for model, pks in plan.rows.items()}
    return {"rows": rows, "documents": sorted(plan.documents)}


def document_path(name: str) -> Path:
    return Path(settings.EHC_ADVICE_STORAGE_DIR) / name


# --- The policy's dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "years", "ends"),
    [
        (D(2000, 6, 15), 31, D(2031, 6, 15)),
        (D(2000, 2, 29), 31, D(2031, 3, 1)),  # no 29 February in 2031: the age is reached 1 March
        (D(2000, 2, 29), 32, D(2032, 2, 29)),  # a leap year: the birthday itself
        (D(2000, 12, 31), 31, D(2031, 12, 31)),
    ],
)
def test_retention_ends_on_the_birthday_and_never_early(born, years, ends):
    assert retention_ends_on(born, years) == ends
    assert not is_past_retention(born, ends, years)
    assert is_past_retention(born, ends + datetime.timedelta(days=1), years)


# --- Stage 1: restrict ---------------------------------------------------------------------


def test_only_children_past_the_policy_are_restricted_one_day_either_side():
    past = child_with_everything(born=PAST, marker=b"%past")
    today = child_with_everything(born=BIRTHDAY_TODAY, marker=b"%today")
    younger = ChildFactory(date_of_birth=D(2000, 6, 17))

    report = retention_apply(today=RUN_ON)

    assert [entry["child_id"] for entry in report.restricted] == [past.pk]
    assert Child.objects.get(pk=past.pk).restricted_on == RUN_ON
    assert Child.objects.get(pk=today.pk).restricted_on is None
    assert Child.objects.get(pk=younger.pk).restricted_on is None
    assert report.deleted == []


def test_a_29_february_birthday_is_restricted_the_day_after_1_march():
    leapling = child_with_everything(born=D(2000, 2, 29), marker=b"%leap")
    assert retention_apply(today=D(2031, 3, 1)).restricted == []
    report = retention_apply(today=D(2031, 3, 2))
    assert [entry["child_id"] for entry in report.restricted] == [leapling.pk]


def test_a_child_with_an_open_case_is_held_not_restricted():
    case = make_case()
    Child.objects.filter(pk=case.child_id).update(date_of_birth=PAST)

    report = retention_apply(today=RUN_ON)

    assert report.restricted == []
    assert report.held == [
        {"child_id": case.child_id, "cases": [case.reference], "reason": HELD_OPEN_CASE}
    ]
    assert Child.objects.get(pk=case.child_id).restricted_on is None
    assert RetentionRun.objects.get().held == report.held


def test_a_restricted_childs_case_is_404_in_the_page_and_the_api(client):
    child = child_with_everything(born=PAST, marker=b"%x")
    case = Case.objects.get(child=child)
    viewer = manager()
    client.force_login(viewer)
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 200

    retention_apply(today=RUN_ON)

    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404
    assert client.get(f"/api/cases/{case.reference}/").status_code == 404
    assert client.get(f"/api/cases/{case.reference}/history/").status_code == 404
    assert case.reference not in client.get(reverse("cases:list")).content.decode()
    assert client.get(f"/accounts/children/{child.pk}/access-log/").status_code == 404
    assert not Case.objects.visible_to(viewer).filter(pk=case.pk).exists()


def test_a_restricted_child_leaves_advice_agendas_the_inbox_and_reports(client):
    child = child_with_everything(born=PAST, marker=b"%x")
    case = Case.objects.get(child=child)
    advice = AdviceRequest.objects.filter(case=case).first()
    item = AgendaItem.objects.get(case=case)
    worker = case.caseworker
    assert [line.case for line in meeting_agenda(meeting=item.meeting, today=RUN_ON)] == [case]
    assert inbox(user=worker).filter(case=case).exists()
    assert AdviceRequest.objects.visible_to(worker).filter(pk=advice.pk).exists()
    client.force_login(worker)
    assert client.get(reverse("advice:detail", args=[advice.pk])).status_code == 200
    retention_apply(today=RUN_ON)

    assert client.get(reverse("advice:detail", args=[advice.pk])).status_code == 404
    assert not AdviceRequest.objects.visible_to(worker).filter(pk=advice.pk).exists()
    assert meeting_agenda(meeting=item.meeting, today=RUN_ON) == []
    assert not inbox(user=worker).filter(case=case).exists()
    assert not Case.objects.not_restricted().filter(pk=case.pk).exists()


def test_the_restriction_is_audited_without_personal_data():
    child = child_with_everything(born=PAST, marker=b"%x")
    case = Case.objects.get(child=child)
    report = retention_apply(today=RUN_ON)
    entry = AuditEntry.objects.get(verb="retention.child_restricted")
    assert entry.payload == {"child_id": child.pk, "cases": [case.reference]}
    assert entry.target_type == "security.retentionrun"
    assert entry.target_id == str(report.run.pk)
    text = f"{entry.target_label} {entry.payload} {entry.reason}"
    assert child.first_name not in text
    assert child.date_of_birth.isoformat() not in text


# --- Stage 2: delete -----------------------------------------------------------------------


def test_retention_deletes_only_records_past_policy(django_capture_on_commit_callbacks):
    """The issue's test: the child past the policy loses every row in every table, and its
    documents' files; the child one day short keeps every row and file."""
    past = child_with_everything(born=PAST, marker=b"%past")
    kept = child_with_everything(born=BIRTHDAY_TODAY, marker=b"%kept")
    retention_apply(today=RUN_ON)
    held_past = held_about(past)
    kept_before = held_about(kept)
    assert set(held_past["rows"]) >= {
        "cases.child",
        "cases.parentcarer",
        "cases.case",
        "cases.caseexception",
        "advice_requests.advicerequest",
        "advice_requests.advicesubmission",
        "advice_requests.adviceexception",
        "advice_requests.accesslog",
        "panels.agendaitem",
        "notifications.notification",
        "audit.auditentry",
        "security.recordaccess",
        "cases.casenote",
        "cases.casedocument",
        "cases.casedocumentshare",
    }
    assert len(held_past["documents"]) == 2  # the advice and the shared paper
    assert all(document_path(name).exists() for name in held_past["documents"])

    with django_capture_on_commit_callbacks(execute=True):
        report = retention_apply(today=DELETE_ON)

    assert [entry["child_id"] for entry in report.deleted] == [past.pk]
    assert not Child.objects.filter(pk=past.pk).exists()
    assert not RecordAccess.objects.filter(child_id=past.pk).exists()
    for label, pks in held_past["rows"].items():
        model = next(m for m in AuditEntry._meta.apps.get_models() if m._meta.label_lower == label)
        assert not model._base_manager.filter(pk__in=pks).exists(), label
    assert not AuditEntry.objects.filter(target_type="cases.child", target_id=str(past.pk)).exists()
    assert not any(document_path(name).exists() for name in held_past["documents"])

    assert held_about(kept) == kept_before
    assert all(document_path(name).exists() for name in kept_before["documents"])
    # A day later the other child is past the policy too, and only restricted.
    assert Child.objects.get(pk=kept.pk).restricted_on == DELETE_ON


def test_the_deletion_is_reported_and_audited_without_personal_data(
    django_capture_on_commit_callbacks,
):
    child = child_with_everything(born=PAST, marker=b"%x")
    reference = Case.objects.get(child=child).reference
    name, born = child.first_name, child.date_of_birth.isoformat()
    retention_apply(today=RUN_ON)
    with django_capture_on_commit_callbacks(execute=True):
        report = retention_apply(today=DELETE_ON)

    (deleted,) = report.deleted
    assert deleted["child_id"] == child.pk
    assert deleted["cases"] == [reference]
    assert deleted["documents"] == 2  # the advice and the shared paper
    assert deleted["rows"]["cases.child"] == 1
    assert deleted["rows"]["advice_requests.accesslog"] == 2  # a read and a paper download
    run = RetentionRun.objects.get(run_on=DELETE_ON)
    assert run.deleted == [deleted]
    entry = AuditEntry.objects.get(verb="retention.child_deleted")
    assert entry.payload == deleted
    assert entry.case_id is None
    # The restriction's own entry is kept: it is about the run, not the child's record.
    assert AuditEntry.objects.filter(verb="retention.child_restricted").count() == 1
    every_word = " ".join(
        f"{e.target_label} {e.payload} {e.reason}" for e in AuditEntry.objects.all()
    )
    every_word += " ".join(str(r.restricted + r.deleted) for r in RetentionRun.objects.all())
    assert name not in every_word
    assert born not in every_word


def test_deletion_waits_the_restricted_days():
    child = child_with_everything(born=PAST, marker=b"%x")
    retention_apply(today=RUN_ON)
    day_before = DELETE_ON - datetime.timedelta(days=1)
    assert retention_apply(today=day_before).deleted == []
    assert Child.objects.filter(pk=child.pk).exists()
    assert [entry["child_id"] for entry in retention_apply(today=DELETE_ON).deleted] == [child.pk]
    assert not Child.objects.filter(pk=child.pk).exists()


def test_a_failure_leaves_that_child_untouched_and_is_reported(monkeypatch):
    failing = child_with_everything(born=PAST, marker=b"%fail")
    retention_apply(today=RUN_ON)
    before = held_about(failing)
    real_erase = retention_module.erase_rows

    def erase_then_fail(plan):
        real_erase(plan)  # every row deleted, then the transaction fails
        raise DatabaseError("synthetic failure")

    monkeypatch.setattr(retention_module, "erase_rows", erase_then_fail)
    report = retention_apply(today=DELETE_ON)

    assert report.deleted == []
    assert report.failed == [{"child_id": failing.pk, "error": "DatabaseError"}]
    assert held_about(failing) == before
    assert all(document_path(name).exists() for name in before["documents"])
    assert not AuditEntry.objects.filter(verb="retention.child_deleted").exists()


# --- Dry run, idempotence, the command -----------------------------------------------------


def _everything_counted() -> dict:
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in AuditEntry._meta.apps.get_models()
        if model._meta.app_label in {"cases", "advice_requests", "panels", "notifications", "audit"}
        or model in (RecordAccess, RetentionRun)
    }


def test_a_dry_run_writes_nothing():
    restricted = child_with_everything(born=PAST, marker=b"%a")
    retention_apply(today=RUN_ON)
    to_restrict = child_with_everything(born=BIRTHDAY_TODAY, marker=b"%b")
    before = _everything_counted()

    output = io.StringIO()
    call_command("apply_retention", "--dry-run", "--today", "2031-07-16", stdout=output)

    assert _everything_counted() == before
    assert Child.objects.get(pk=to_restrict.pk).restricted_on is None
    text = output.getvalue()
    assert "dry run, nothing written" in text
    assert "Restricted: 1" in text
    assert f"child {to_restrict.pk}" in text
    assert "Deleted: 1" in text
    assert f"child {restricted.pk}" in text
    assert to_restrict.first_name not in text


def test_a_second_run_the_same_day_does_nothing_new(django_capture_on_commit_callbacks):
    child_with_everything(born=PAST, marker=b"%a")
    held = make_case()
    Child.objects.filter(pk=held.child_id).update(date_of_birth=PAST)
    retention_apply(today=RUN_ON)
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(today=DELETE_ON)
    before = _everything_counted()

    report = retention_apply(today=DELETE_ON)

    assert report.nothing_new
    assert report.restricted == report.deleted == []
    assert _everything_counted() == before
    output = io.StringIO()
    call_command("apply_retention", today=DELETE_ON.isoformat(), stdout=output)
    assert "already applied today, nothing new" in output.getvalue()
    assert _everything_counted() == before


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("apply_retention", today="16/06/2031")


def test_the_command_defaults_to_today_and_saves_its_report():
    output = io.StringIO()
    call_command("apply_retention", stdout=output)
    run = RetentionRun.objects.get()
    assert run.run_on == timezone.localdate()
    assert f"report {run.pk} saved" in output.getvalue()


# --- The append-only path stays narrow -----------------------------------------------------


def test_outside_retention_the_application_still_cannot_delete_audit_or_access_rows():
    child_with_everything(born=PAST, marker=b"%a")
    retention_apply(today=RUN_ON)
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.first().delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.all().update(reason="x")
    with pytest.raises(Exception, match="append-only"):
        AccessLog.objects.all().delete()
    with pytest.raises(Exception, match="append-only"):
        RecordAccess.objects.all().delete()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM audit_auditentry WHERE id = %s",
        "DELETE FROM advice_requests_accesslog WHERE advice_request_id IN "
        "(SELECT id FROM advice_requests_advicerequest) AND %s > 0",
        "DELETE FROM security_recordaccess WHERE %s > 0",
        "DELETE FROM cases_casenote WHERE %s > 0",
    ],
)
def test_postgresql_still_refuses_an_ordinary_delete_after_a_retention_run(
    sql, django_capture_on_commit_callbacks
):
    child_with_everything(born=PAST, marker=b"%a")
    child_with_everything(born=BIRTHDAY_TODAY, marker=b"%b")
    retention_apply(today=RUN_ON)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_apply(today=DELETE_ON).deleted  # the privileged path was used
    entry = AuditEntry.objects.filter(case__isnull=False).first()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])


@pytest.mark.postgres
def test_postgresql_refuses_an_update_even_on_the_retention_path():
    entry = AuditEntry.objects.get(case=make_case())
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The flag is switched on by the statement itself, before the trigger fires.
        cursor.execute(
            "UPDATE audit_auditentry SET reason = 'x' WHERE id = %s "
            "AND set_config('ehc.retention_delete', 'on', true) = 'on'",
            [entry.pk],
        )
    assert AuditEntry.objects.filter(pk=entry.pk, reason="").exists()


# --- The schedule --------------------------------------------------------------------------


def test_the_beat_schedule_runs_retention_nightly(settings):
    entry = beat_schedule(settings)["apply-retention"]
    assert entry["task"] == RETENTION
    assert entry["schedule"].hour == {2}
    assert entry["schedule"].minute == {30}
    app.loader.import_default_modules()
    assert RETENTION in app.tasks


def test_the_task_applies_the_policy_and_returns_counts():
    app.loader.import_default_modules()
    assert app.tasks[RETENTION].apply().get() == {
        "restricted": 0,
        "deleted": 0,
        "held": 0,
        "failed": 0,
    }
    assert RetentionRun.objects.count() == 1
    app.tasks[RETENTION].apply().get()
    assert RetentionRun.objects.count() == 1


def test_the_policy_reads_the_settings(settings):
    settings.EHC_RETENTION_YEARS_AFTER_BIRTH = 25
    settings.EHC_RETENTION_RESTRICTED_DAYS = 7
    assert Policy.from_settings() == Policy(years=25, restricted_days=7)
