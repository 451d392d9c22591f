from pathlib import Path

from django.core.management.base import BaseCommand

from cases.diagram import case_state_mermaid


class Command(BaseCommand):
    help = "Print (or --write) the case state diagram generated from the state machine."

    def add_arguments(self, parser):
        parser.add_argument("--write", metavar="PATH", help="Write the diagram to this file.")

    def handle(self, *args, write=None, **options):
        diagram = case_state_mermaid()
        if write:
            Path(write).write_text(diagram)
            self.stdout.write(f"Wrote {write}")
        else:
            self.stdout.write(diagram, ending="")
