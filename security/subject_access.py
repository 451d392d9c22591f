"""Subject access (UK GDPR art. 15): everything held about one child, as JSON plus the files of the
advice documents and the case documents. Found by following foreign keys from the child (and
from those rows, two levels), so a table another app adds that points at a child's case is
exported without a change here; the record access log is added by child id. Nothing about
another child is written: every row reached is one that points, directly or through its parent,
at this child."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from django.apps import apps
from django.core.serializers import serialize
from django.db import models

from advice_requests.models import AdviceSubmission
from cases.models import CaseDocument, Child
from security.uploads import document_storage

from .models import RecordAccess

#: Followed no further: people who worked on the record are named in the rows, not exported.
NOT_FOLLOWED = {"auth.user", "auth.group", "contenttypes.contenttype"}


def _children_rows(model, pks) -> dict:
    """Rows of every model with a foreign key to `model` among `pks`."""
    found = {}
    for other in apps.get_models():
        for field in other._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model is model
                and other._meta.label_lower not in NOT_FOLLOWED
            ):
                rows = other._default_manager.filter(**{f"{field.name}__in": pks})
                found.setdefault(other, other._default_manager.none())
                found[other] = found[other] | rows
    return found


def child_record(*, child: Child) -> dict[type, models.QuerySet]:
    """Every row held about the child, by model."""
    collected = {Child: Child.objects.filter(pk=child.pk)}
    frontier = {Child: [child.pk]}
    for _ in range(3):
        next_frontier = {}
        for model, pks in frontier.items():
            for other, rows in _children_rows(model, pks).items():
                new = list(rows.values_list("pk", flat=True))
                if not new:
                    continue
                known = collected.get(other)
                collected[other] = (known | rows) if known is not None else rows
                next_frontier[other] = new
        frontier = next_frontier
    collected[RecordAccess] = RecordAccess.objects.filter(child_id=child.pk)
    return collected


def export_child_record(*, child: Child, output: Path) -> dict:
    """Write record.json and documents/ under `output`; return a summary of counts."""
    output.mkdir(parents=True, exist_ok=True)
    record = child_record(child=child)
    body = {}
    for model, rows in sorted(record.items(), key=lambda item: item[0]._meta.label):
        body[model._meta.label_lower] = json.loads(serialize("json", rows.distinct()))
    (output / "record.json").write_text(json.dumps(body, indent=2, sort_keys=True, default=str))
    documents = output / "documents"
    documents.mkdir(exist_ok=True)
    storage = document_storage()
    for model, prefix in ((AdviceSubmission, ""), (CaseDocument, "case-")):
        for row in record.get(model, model.objects.none()).distinct():
            with storage.open(row.stored_name, "rb") as source:
                target = documents / f"{prefix}{row.pk}-{row.stored_name}"
                with target.open("wb") as handle:
                    shutil.copyfileobj(source, handle)
    return {label: len(rows) for label, rows in body.items()}
