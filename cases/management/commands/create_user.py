"""`manage.py create_user USERNAME --role caseworker [--role manager] [--email ...]
[--password-from-stdin]`: provision a member of staff, for councils that script their joiners.

Without --password-from-stdin a one-time password is generated and printed once; the person
changes it after signing in. Nothing is saved if any argument is wrong."""

from __future__ import annotations

import secrets
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from cases.roles import ALL_ROLES

UNKNOWN_ROLE = "Unknown role '{role}'. Roles are: {roles}."
USER_EXISTS = "A user called '{username}' already exists."
NO_ROLE = "Give at least one --role ({roles})."
NOTHING_ON_STDIN = "No password on standard input."
ONE_TIME_PASSWORD_LENGTH = 18


class Command(BaseCommand):
    help = "Create a member of staff with one or more roles."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            dest="roles",
            help=f"Repeat for several roles: {', '.join(ALL_ROLES)}.",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-from-stdin",
            action="store_true",
            help="Read the password from standard input instead of generating one.",
        )

    def handle(self, *args, username, roles, email, first_name, last_name, **options):
        role_names = ", ".join(ALL_ROLES)
        if not roles:
            raise CommandError(NO_ROLE.format(roles=role_names))
        for role in roles:
            if role not in ALL_ROLES:
                raise CommandError(UNKNOWN_ROLE.format(role=role, roles=role_names))
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(USER_EXISTS.format(username=username))
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc

        generated = not options["password_from_stdin"]
        if generated:
            password = secrets.token_urlsafe(ONE_TIME_PASSWORD_LENGTH)
        else:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError(NOTHING_ON_STDIN)
        user = User(username=username, email=email, first_name=first_name, last_name=last_name)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.set(Group.objects.filter(name__in=set(roles)))
        self.stdout.write(f"Created {username} with roles: {', '.join(sorted(set(roles)))}.")
        if generated:
            self.stdout.write(f"One-time password (shown once): {password}")
