"""Browser tests: a real SafeShare server (gunicorn, throwaway SQLite) driven by Debian's Chromium.

The server runs in a subprocess against its own data folder, seeded through the real services by
``tests/browser/seed.py``. pytest-django's live server is not used: it empties tables between
tests, and the ledger refuses DELETE by design.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
STARTUP_SECONDS = 60


class SmtpInbox:
    """The test mail server's handler: every message it accepted, as (recipients, text)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        content = envelope.content
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content)
        self.messages.append((list(envelope.rcpt_tos), text))
        return "250 Message accepted"

    def to(self, address: str) -> list[str]:
        return [text for recipients, text in self.messages if address in recipients]


@dataclass(frozen=True)
class Served:
    base_url: str
    case_id: str
    case_reference: str
    child_name: str
    other_case_id: str
    password: str
    pending_pairs: int  # pairs the seed's linkage run left for clerical review
    log: Path
    smtp: SmtpInbox  # what the worker e-mailed, through a real SMTP server
    env: dict[str, str]  # the served instance's environment, for ``manage`` below

    def url(self, path: str) -> str:
        return self.base_url + path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],  # our own interpreter and manage.py
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if done.returncode != 0:
        pytest.fail(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _wait_until_serving(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Poll the health check (or the sign-in page) until the server answers."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited early:\n{log.read_text()}")
        for path in ("/healthz", "/sign-in/"):
            try:
                with urllib.request.urlopen(base_url + path, timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
        time.sleep(0.2)  # waiting for a process to start, not for application time
    pytest.fail(f"the server did not answer within {STARTUP_SECONDS}s:\n{log.read_text()}")


def manage(served: Served, *args: str) -> str:
    """Run ``manage.py`` against the served instance (its database and settings)."""
    return _manage(served.env, *args)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[SmtpInbox, int]]:
    """A real SMTP server (aiosmtpd) on loopback that the served instance's worker e-mails."""
    inbox = SmtpInbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def served(
    tmp_path_factory: pytest.TempPathFactory, smtp_server: tuple[SmtpInbox, int]
) -> Iterator[Served]:
    data = tmp_path_factory.mktemp("safeshare-data")
    smtp, smtp_port = smtp_server
    keyring = {
        "active": "browser-1",
        "keys": {"browser-1": base64.b64encode(os.urandom(32)).decode()},
    }
    env = {
        **os.environ,
        "SAFESHARE_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "SAFESHARE_KEYS": json.dumps(keyring),
        "SAFESHARE_SECRET_KEY": secrets.token_urlsafe(50),
        "SAFESHARE_DEBUG": "",
        "PYTHONDONTWRITEBYTECODE": "1",
        "SAFESHARE_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SAFESHARE_SMTP_HOST": "127.0.0.1",
        "SAFESHARE_SMTP_PORT": str(smtp_port),
        "SAFESHARE_SMTP_TLS": "",
        "SAFESHARE_TASK_BROKER": "",
    }
    env.pop("DATABASE_URL", None)
    _manage(env, "migrate", "--noinput")
    seeded = _manage(env, "shell", "-c", "from tests.browser.seed import seed; seed()")
    info: dict[str, Any] = json.loads(seeded.strip().splitlines()[-1])
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env["SAFESHARE_BASE_URL"] = base_url  # the address the worker's e-mails link to
    log = data / "gunicorn.log"
    worker_log = data / "worker.log"
    with worker_log.open("wb") as worker_file:
        # The background worker, as ``safeshare serve`` runs it: the timers and the e-mails.
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker"],
            cwd=ROOT,
            env=env,
            stdout=worker_file,
            stderr=subprocess.STDOUT,
        )
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(base_url, server, log)
        yield Served(base_url=base_url, log=log, smtp=smtp, env=env, **info)
    finally:
        for process in (server, worker):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"Debian Chromium is needed at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) whose CSP lets the test inject axe-core."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


# ---------------------------------------------------------------------------------------------
# Signing in
# ---------------------------------------------------------------------------------------------


def totp(secret_base32: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP (HMAC-SHA1), as an authenticator app computes it."""
    cleaned = secret_base32.replace(" ", "").upper()
    key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


def submit_password(page: Page, served: Served, username: str) -> None:
    page.goto(served.url("/sign-in/"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", served.password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def enrol_and_verify(page: Page) -> None:
    """On the set-up page: read the secret as a person would, type the current code."""
    secret = page.locator("#totp-secret").inner_text()
    page.fill("input[name=token]", totp(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def sign_in_and_enrol(page: Page, served: Served, username: str) -> None:
    submit_password(page, served, username)
    assert "/sign-in/two-factor/set-up/" in page.url, page.url
    enrol_and_verify(page)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page for WCAG 2.0, 2.1 and 2.2 A and AA; return the violations."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    assert result["passes"], "axe-core ran no checks: is the tag list right?"
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [node["target"] for node in violation["nodes"]][:5]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    return "\n".join(lines)
