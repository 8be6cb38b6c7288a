"""``safeshare createadmin``: create a system administrator (an installation's first account)."""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from safeshare.agencies.models import Agency, AgencyType, Role
from safeshare.agencies.selectors import agency_list
from safeshare.agencies.services import agency_create, practitioner_create


class Command(BaseCommand):
    help = "Create a system administrator practitioner"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--given-name", required=True)
        parser.add_argument("--family-name", required=True)
        parser.add_argument("--email", default="")
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--agency", metavar="NAME", help="The existing agency they work for")
        where.add_argument("--new-agency", metavar="NAME", help="Create this agency first")
        parser.add_argument(
            "--agency-type", choices=AgencyType.values, help="Type of the new agency"
        )
        parser.add_argument("--area", help="Local authority area of the new agency")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input instead of asking",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agency: Agency | None = None
        if options["new_agency"]:
            if not options["agency_type"] or not options["area"]:
                raise CommandError("--new-agency needs --agency-type and --area")
        else:
            if options["agency_type"] or options["area"]:
                raise CommandError("--agency-type and --area only go with --new-agency")
            agency = agency_list().filter(name__iexact=options["agency"].strip()).first()
            if agency is None:
                raise CommandError(f"there is no agency called {options['agency']!r}")
        password = read_password(from_stdin=options["password_stdin"])
        with transaction.atomic():
            if agency is None:
                agency = agency_create(
                    actor=None,
                    name=options["new_agency"],
                    agency_type=options["agency_type"],
                    local_authority_area=options["area"],
                )
            admin = practitioner_create(
                actor=None,
                agency=agency,
                username=options["username"],
                given_name=options["given_name"],
                family_name=options["family_name"],
                email=options["email"],
                job_title="System administrator",
                roles=[Role.SYSTEM_ADMIN],
                password=password,
            )
        self.stdout.write(f"Created system administrator {admin.username} at {agency.name}.")


def read_password(*, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("no password on standard input")
        return password
    if not sys.stdin.isatty():
        raise CommandError("no terminal to ask for the password on; use --password-stdin")
    password = getpass.getpass("Password: ")
    if not password:
        raise CommandError("the password cannot be blank")
    if getpass.getpass("Password (again): ") != password:
        raise CommandError("the two passwords do not match")
    return password
