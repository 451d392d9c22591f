from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.models import Child
from security.subject_access import export_child_record


class Command(BaseCommand):
    help = (
        "Subject access request: write everything held about one child (case data, history, "
        "advice documents, access log) as JSON plus files into DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("child_id", type=int)
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, child_id, output, **options):
        child = Child.objects.filter(pk=child_id).first()
        if child is None:
            raise CommandError(f"No child with id {child_id}.")
        counts = export_child_record(child=child, output=Path(output))
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Written to {output}"))
