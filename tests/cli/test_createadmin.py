"""``safeshare createadmin``: a system administrator, created by the system, or nothing at all."""

from __future__ import annotations

import io

import pytest
from django.core.management.base import CommandError

from safeshare.agencies.models import Agency, AgencyType, Practitioner, Role
from safeshare.cli import main as cli
from safeshare.cli.management.commands import createadmin
from safeshare.ledger.events import Event
from safeshare.ledger.models import LedgerEntry
from tests.factories import AgencyFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "testshire-admin-passphrase-42"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _args(*extra: str) -> list[str]:
    return [
        "createadmin",
        "--username",
        "Admin.Fakewell",
        "--given-name",
        "Ada",
        "--family-name",
        "Fakewell",
        "--password-stdin",
        "--skip-checks",
        *extra,
    ]


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert err.startswith("safeshare: error: ")
    return err


def test_createadmin_creates_a_system_admin_at_an_existing_agency(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    agency = AgencyFactory(name="Testshire Children's Services")
    _stdin(monkeypatch, GOOD_PASSWORD + "\n")
    assert cli.main(_args("--agency", "testshire children's services")) == 0
    admin = Practitioner.objects.get(username="admin.fakewell")
    assert admin.agency == agency
    assert admin.role_codes() == [Role.SYSTEM_ADMIN]
    assert admin.check_password(GOOD_PASSWORD)
    assert "Created system administrator admin.fakewell" in capsys.readouterr().out
    created = LedgerEntry.objects.get(event_code=Event.PRACTITIONER_CREATED)
    assert created.actor_id is None
    assert created.actor_roles == "system"
    assert LedgerEntry.objects.filter(event_code=Event.ROLE_GRANTED).count() == 1


def test_createadmin_can_create_the_first_agency(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, GOOD_PASSWORD + "\n")
    args = _args(
        "--new-agency",
        "Testshire Council",
        "--agency-type",
        AgencyType.CHILDRENS_SOCIAL_CARE,
        "--area",
        "Testshire",
    )
    assert cli.main(args) == 0
    admin = Practitioner.objects.get(username="admin.fakewell")
    assert admin.agency.name == "Testshire Council"
    assert admin.agency.local_authority_area == "Testshire"


def test_createadmin_with_unknown_agency_fails_and_creates_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, GOOD_PASSWORD + "\n")
    assert cli.main(_args("--agency", "Nowhere Agency")) == 1
    assert "there is no agency called 'Nowhere Agency'" in _error_line(capsys)
    assert not Practitioner.objects.exists()


def test_createadmin_with_too_short_password_fails_and_creates_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "short\n")
    args = _args(
        "--new-agency", "Testshire Council", "--agency-type", "police", "--area", "Testshire"
    )
    assert cli.main(args) == 1
    assert "too short" in _error_line(capsys)
    assert not Practitioner.objects.exists()
    assert not Agency.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_createadmin_with_taken_username_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    agency = AgencyFactory(name="Testshire Council")
    PractitionerFactory(username="admin.fakewell", agency=agency)
    _stdin(monkeypatch, GOOD_PASSWORD + "\n")
    assert cli.main(_args("--agency", "Testshire Council")) == 1
    assert "already in use" in _error_line(capsys)
    assert Practitioner.objects.count() == 1


def test_createadmin_new_agency_needs_type_and_area(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, GOOD_PASSWORD + "\n")
    assert cli.main(_args("--new-agency", "Testshire Council")) == 1
    assert "--agency-type and --area" in _error_line(capsys)
    assert not Agency.objects.exists()


def test_createadmin_needs_an_agency(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(_args()) == 2
    assert "one of the arguments --agency --new-agency is required" in _error_line(capsys)


def test_createadmin_with_empty_stdin_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    AgencyFactory(name="Testshire Council")
    _stdin(monkeypatch, "")
    assert cli.main(_args("--agency", "Testshire Council")) == 1
    assert "no password on standard input" in _error_line(capsys)
    assert not Practitioner.objects.exists()


def test_interactive_password_must_be_typed_the_same_twice(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr(createadmin.getpass, "getpass", lambda prompt: next(answers))
    monkeypatch.setattr("sys.stdin", _Terminal())
    with pytest.raises(CommandError, match="do not match"):
        createadmin.read_password(from_stdin=False)


def test_interactive_password_typed_twice_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(createadmin.getpass, "getpass", lambda prompt: GOOD_PASSWORD)
    monkeypatch.setattr("sys.stdin", _Terminal())
    assert createadmin.read_password(from_stdin=False) == GOOD_PASSWORD


def test_interactive_password_needs_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "")
    with pytest.raises(CommandError, match="use --password-stdin"):
        createadmin.read_password(from_stdin=False)
