from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.demo import DEMO_PASSWORD
from demo.borough import seed_demo
from families.demo import DEMO_PARENT_USERNAME, seed_demo_family
from security.demo import (
    DEMO_RECOVERY_CODES,
    DEMO_TOTP_SECRET,
    demo_logins,
    seed_demo_second_factor,
)


class Command(BaseCommand):
    help = (
        "Create a synthetic demo borough (users, partner services, ~300 cases with advice, "
        "panels with agendas). Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, cases, seed, **options):
        result = seed_demo(cases=cases, today=timezone.localdate(), seed=seed)
        if result.skipped:
            self.stdout.write("Demo cases already present: nothing added.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Created {result.created_cases} demo cases."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for label, usernames in demo_logins():
            self.stdout.write(f"  {label}: {', '.join(usernames)}")
        member = seed_demo_family(today=timezone.localdate())
        if member is not None:
            self.stdout.write(
                f"Family portal: {DEMO_PARENT_USERNAME} (a parent of two demo children: one "
                "request waiting for their views, one draft plan open for comments) at /family/."
            )
        seed_demo_second_factor()
        self.stdout.write(
            "Second factor for every demo login: add the key "
            f"{DEMO_TOTP_SECRET} to an authenticator app, or use a demo recovery code "
            f"({DEMO_RECOVERY_CODES[0]} to {DEMO_RECOVERY_CODES[-1]}; each works once, and "
            "seed_demo restores them)."
        )
