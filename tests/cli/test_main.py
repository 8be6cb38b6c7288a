"""The ``safeshare`` front door: help, dispatch, one-line errors, and ``serve``'s set-up."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management.base import CommandError
from pytest_django.fixtures import Settings as SettingsWrapper

from safeshare.cli import main as cli
from safeshare.cli.management.commands import serve
from safeshare.core import keys
from safeshare.core.exceptions import ValidationFailed


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def test_help_lists_every_subcommand_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for name, subcommand in cli.COMMANDS.items():
        assert f"  {name}" in out
        assert subcommand.summary in out
    assert {"serve", "demo", "migrate", "createadmin", "keys"} <= set(cli.COMMANDS)


def test_no_arguments_prints_usage_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "usage: safeshare" in capsys.readouterr().err


def test_unknown_subcommand_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["frobnicate"]) == 2
    captured = capsys.readouterr()
    assert _one_line(captured.err).startswith("safeshare: error: unknown command 'frobnicate'")
    assert captured.out == ""


@pytest.mark.django_db
def test_unknown_option_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--childrn", "3"]) == 2
    assert _one_line(capsys.readouterr().err) == (
        "safeshare: error: unrecognized arguments: --childrn 3"
    )


def test_subcommand_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--help"]) == 0
    assert "usage: safeshare demo" in capsys.readouterr().out


@pytest.mark.django_db
def test_command_error_is_one_line_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--children", "0"]) == 1
    assert _one_line(capsys.readouterr().err).startswith(
        "safeshare: error: --children must be between 1 and"
    )


@pytest.mark.django_db
def test_domain_error_is_one_line_with_its_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ValidationFailed("Enter a valid thing", field="thing")

    monkeypatch.setattr(serve.Command, "handle", refuse)
    assert cli.main(["serve"]) == 1
    assert _one_line(capsys.readouterr().err) == "safeshare: error: Enter a valid thing"


@pytest.mark.django_db
def test_keyring_error_is_one_line(
    capsys: pytest.CaptureFixture[str],
    settings: SettingsWrapper,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    monkeypatch.delenv("SAFESHARE_KEYS", raising=False)
    settings.SAFESHARE_KEYS = None
    settings.SAFESHARE_KEY_FILE = str(tmp_path / "missing.json")
    keys.reset_cache()
    try:
        assert cli.main(["keys", "status"]) == 1
    finally:
        keys.reset_cache()
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("safeshare: error: key file ")
    assert "does not exist" in line


@pytest.mark.django_db
def test_traceback_option_shows_the_real_exception() -> None:
    with pytest.raises(CommandError):
        cli.main(["demo", "--children", "0", "--traceback"])


@pytest.mark.django_db
def test_migrate_dispatches_to_django_migrate(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["migrate", "--check", "--skip-checks"]) == 0


def test_serve_binds_loopback_with_workers_and_access_log() -> None:
    options = serve.gunicorn_options(host="127.0.0.1", port=8123, workers=3)
    server = serve.SafeShareServer(options)
    assert server.cfg.bind == ["127.0.0.1:8123"]
    assert server.cfg.workers == 3
    assert server.cfg.accesslog == "-"
    from config.wsgi import application

    assert server.load() is application


def test_serve_port_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8765")
    assert serve.resolve_port(None) == 8765
    assert serve.resolve_port(9000) == 9000
    monkeypatch.delenv("PORT")
    assert serve.resolve_port(None) == 8000
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(CommandError):
        serve.resolve_port(None)
    with pytest.raises(CommandError):
        serve.resolve_port(70000)


def test_serve_collects_static_files_only_for_manifest_storage(settings: SettingsWrapper) -> None:
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    assert serve.needs_collectstatic()
    settings.DEBUG = True
    assert not serve.needs_collectstatic()
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert not serve.needs_collectstatic()


@pytest.mark.django_db
def test_serve_runs_gunicorn_after_collectstatic_in_production(
    settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran: list[dict[str, Any]] = []
    collected: list[str] = []
    monkeypatch.setattr(serve.SafeShareServer, "run", lambda self: ran.append(self.options))
    monkeypatch.setattr(serve, "call_command", lambda name, **kw: collected.append(name))
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    assert cli.main(["serve", "--port", "8123", "--workers", "3", "--skip-checks"]) == 0
    assert collected == ["collectstatic"]
    assert ran == [serve.gunicorn_options(host="127.0.0.1", port=8123, workers=3)]
    assert "http://127.0.0.1:8123/" in capsys.readouterr().out


@pytest.mark.django_db
def test_serve_refuses_zero_workers(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["serve", "--workers", "0", "--skip-checks"]) == 1
    assert _one_line(capsys.readouterr().err) == "safeshare: error: --workers must be at least 1"
