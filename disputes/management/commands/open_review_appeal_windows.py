"""`python manage.py open_review_appeal_windows`: once, at the upgrade that wires reviews into
disputes (decision 0140), open the appeal window of every review decided before it. Safe to
run again: a review opens one window."""

from django.core.management.base import BaseCommand

from disputes.services import review_windows_open


class Command(BaseCommand):
    help = (
        "Open the family's appeal window of each decided review (plan kept, amended plan, plan "
        "ceased) of a plan issued here that has none yet. Safe to run twice."
    )

    def handle(self, *args, **options):
        opened = review_windows_open(actor=None)
        self.stdout.write(f"Appeal windows opened: {opened}.")
