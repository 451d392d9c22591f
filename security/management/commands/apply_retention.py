import datetime

from django.core.management.base import BaseCommand, CommandError

from security.retention import RetentionReport, retention_apply

BAD_DATE = "--today must be a date written YYYY-MM-DD, for example 2057-03-02 (got {value!r})."


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(BAD_DATE.format(value=value)) from exc


class Command(BaseCommand):
    help = (
        "Apply the retention policy (decision 0064): restrict children past date of birth + "
        "EHC_RETENTION_YEARS_AFTER_BIRTH, delete those restricted EHC_RETENTION_RESTRICTED_DAYS "
        "ago, hold any with an open case, and print what was done (child ids and case "
        "references only)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done; write nothing."
        )
        parser.add_argument("--today", help="Apply the policy as of this day (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, today=None, **options):
        day = _date(today) if today is not None else None
        report = retention_apply(today=day, dry_run=dry_run)
        for line in report_lines(report):
            self.stdout.write(line)


def report_lines(report: RetentionReport) -> list[str]:
    if report.dry_run:
        title = f"Retention for {report.run_on:%Y-%m-%d}: dry run, nothing written"
    elif report.nothing_new:
        title = f"Retention for {report.run_on:%Y-%m-%d}: already applied today, nothing new"
    else:
        title = f"Retention for {report.run_on:%Y-%m-%d}: report {report.run.pk} saved"
    lines = [title]
    for kind in ("restricted", "deleted", "held", "failed"):
        entries = getattr(report, kind)
        lines.append(f"{kind.capitalize()}: {len(entries)}")
        for entry in entries:
            lines.append("  " + _describe(entry))
    return lines


def _describe(entry: dict) -> str:
    parts = [f"child {entry['child_id']}"]
    if entry.get("cases"):
        parts.append("cases " + ", ".join(entry["cases"]))
    if entry.get("rows"):
        parts.append("rows " + ", ".join(f"{label}={n}" for label, n in entry["rows"].items()))
    if "documents" in entry:
        parts.append(f"documents {entry['documents']}")
    if entry.get("reason"):
        parts.append(entry["reason"])
    if entry.get("error"):
        parts.append(f"error {entry['error']}")
    return "; ".join(parts)
