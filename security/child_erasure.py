"""Erasing everything held about one child (decision 0064): the rows the subject access export
finds (security.subject_access.child_record: the child, the rows pointing at it, at those, and
at those, and the record access log by child id), the audit entries about any of them, and the
files on disk of the advice documents and the case documents. What is exported is what is
erased, so a table another app adds that points at a child's case is erased without a change
here.

Rows are deleted in foreign-key order (a row before the rows it points at) through each model's
own manager, inside audit.erasure.retention_erasure(): the one path past the append-only
refusals. Only ever called by security.retention, which holds the child's lock."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from graphlib import TopologicalSorter

from django.db import models
from django.db.models import Q

from advice_requests.models import AdviceSubmission
from audit.erasure import retention_erasure
from audit.models import AuditEntry
from cases.models import CaseDocument, Child
from security.uploads import document_storage

from .subject_access import child_record

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErasurePlan:
    """The rows to delete, by model (primary keys), and the documents' stored names."""

    rows: dict[type[models.Model], list]
    documents: list[str]


def _audit_about(rows: dict[type[models.Model], list]) -> list:
    """Audit entries whose target is one of these rows (the case's own entries are found by
    their `case` foreign key; this adds those about the child, a parent carer, ...)."""
    condition = Q(pk__in=[])
    for model, pks in rows.items():
        if model is AuditEntry or not pks:
            continue
        condition |= Q(target_type=model._meta.label_lower, target_id__in=[str(pk) for pk in pks])
    return list(AuditEntry.objects.filter(condition).values_list("pk", flat=True))


def erasure_plan(*, child: Child) -> ErasurePlan:
    """Everything held about the child, as primary keys (read now, deleted later)."""
    rows = {
        model: list(queryset.values_list("pk", flat=True).distinct())
        for model, queryset in child_record(child=child).items()
    }
    about = _audit_about(rows)
    rows[AuditEntry] = sorted(set(rows.get(AuditEntry, [])) | set(about))
    documents = [
        name
        for model in (AdviceSubmission, CaseDocument)
        for name in model.objects.filter(pk__in=rows.get(model, [])).values_list(
            "stored_name", flat=True
        )
    ]
    return ErasurePlan(rows={m: pks for m, pks in rows.items() if pks}, documents=documents)


def deletion_order(found: list[type[models.Model]]) -> list[type[models.Model]]:
    """Every model before the models it points at, so no PROTECT foreign key is in the way."""
    graph: dict[type[models.Model], set] = {model: set() for model in found}
    for model in found:
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            if isinstance(field, models.ForeignKey) and target in graph and target is not model:
                graph[target].add(model)  # `model` points at `target`: delete it first
    return list(TopologicalSorter(graph).static_order())


def erase_rows(plan: ErasurePlan) -> dict[str, int]:
    """Delete the planned rows; return how many of each model went (cascades included).
    The caller's transaction is the child's: any failure takes every deletion back."""
    deleted: dict[str, int] = {}
    with retention_erasure():
        for model in deletion_order(list(plan.rows)):
            # The model's own manager, so its append-only refusal is consulted, not bypassed.
            _, by_label = model._default_manager.filter(pk__in=plan.rows[model]).delete()
            for label, count in by_label.items():
                if count:
                    deleted[label.lower()] = deleted.get(label.lower(), 0) + count
    return dict(sorted(deleted.items()))


def remove_documents(stored_names: list[str]) -> int:
    """After commit: the documents' files (advice and case documents). A file already gone is
    no error; one that cannot be removed is logged by its server-generated name (no personal
    data) for a person."""
    storage = document_storage()
    removed = 0
    for name in stored_names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Retention: could not remove advice document %s", name)
        else:
            removed += 1
    return removed
