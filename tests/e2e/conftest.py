"""Browser tests: the real server (``python wsgi.py``) on its own SQLite file, driven by chromium.

The server always gets a fresh SQLite database in a temporary folder, even when
``TEST_DATABASE_URL`` is set: that database belongs to the in-process suite.
"""
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.smtp import SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT = 90  # seconds; starting takes about 4 s of CPU, several times that on a loaded machine
DEMO_PASSWORD = "Laboratorio-demo-2019"
# The Makefile's `db` and `demo` targets.
SETUP_COMMANDS = [("db", "upgrade"), ("pact", "keygen"), ("lab", "seed-demo")]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):
    # A conftest's hook sees the whole session's items, so mark only this folder's.
    folder = Path(__file__).parent
    for item in items:
        if folder in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _clean():
    """Skip the suite's per-test clean-up: these tests never touch the in-process app."""
    yield


@dataclass
class LiveServer:
    base_url: str
    smtp: SmtpSink
    folder: Path  # holds the database, the uploads and server.stderr.log


def _server_env(folder: Path, port: int, smtp_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "TEST_REDIS_URL")}
    env.update({
        "LAB_CONFIG": "development",
        "DATABASE_URL": f"sqlite:///{folder / 'e2e.sqlite'}",
        "LAB_INSTANCE_DIR": str(folder),
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "SECRET_KEY": "e2e-secret",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "PORT": str(port),
        "PYTHONUNBUFFERED": "1",
    })
    # Pin what a developer's shell or .env might set for their own server (load_dotenv never
    # overrides a variable that is already set).
    env.update({
        "UPLOAD_DIR": str(folder / "uploads"),
        "MAIL_FILE_DIR": str(folder / "mail"),
        "PACT_SIGNING_KEY": str(folder / "keys" / "pact_ed25519.pem"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "SIGN_IN_LIMIT": "5 per 15 minutes",
        "SIGN_IN_ADDRESS_LIMIT": "50 per 15 minutes",
        "SOCKETIO_MESSAGE_QUEUE": "",
    })
    env.pop("FLASK_APP", None)
    return env


def _flask(env: dict[str, str], *args: str) -> None:
    flask = str(Path(sys.executable).parent / "flask")
    result = subprocess.run([flask, "--app", "wsgi", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        pytest.fail(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"The e2e server did not answer /healthz within {START_TIMEOUT}s "
                f"(exit code {process.poll()}). Last lines of its stderr:\n{_log_tail(log)}")


def _log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:] if log.exists() else ""


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _serve(folder: Path, sink: SmtpSink):
    port = free_port()
    env = _server_env(folder, port, sink.port)
    for command in SETUP_COMMANDS:
        _flask(env, *command)
    log = folder / "server.stderr.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_healthy(base_url, process, log)
        yield LiveServer(base_url, sink, folder)
        if process.poll() is not None:
            pytest.fail(f"The e2e server died during the tests (exit code {process.returncode}). "
                        f"Last lines of its stderr:\n{_log_tail(log)}")
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def live_server():
    with tempfile.TemporaryDirectory(prefix="lab-e2e-") as tmp:
        sink = SmtpSink()
        sink.start()
        try:
            yield from _serve(Path(tmp), sink)
        finally:
            sink.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(locale="it-IT", base_url=live_server.base_url)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


# --- helpers ----------------------------------------------------------------------------------

def shot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/e2e/screenshots/ (git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_accessibility(page) -> list[dict]:
    """Run axe-core and return its serious and critical violations.

    axe is served by the app itself, so the page's Content-Security-Policy lets it load.
    """
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    page.add_script_tag(url=origin + "/vendor/axe-core/axe.min.js")
    violations = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(result => result.violations)", AXE_TAGS)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}")
    return "\n".join(lines)


def textbox(page, name: str):
    """Find a field by the name a screen reader announces.

    ``get_by_label`` would match the label's whole text, including the required-field star
    that is hidden from assistive technology.
    """
    return page.get_by_role("textbox", name=name, exact=True)


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the sign-in form and wait to land on the next page."""
    page.goto("/sign-in")
    textbox(page, "Email").fill(email)
    textbox(page, "Password").fill(password)
    page.get_by_role("button", name="Accedi", exact=True).click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def set_up_two_factor(page):
    """Set up two-factor sign-in from its page, as a person with an authenticator app would.

    Return the app (a ``pyotp.TOTP`` on the key the page shows) and the recovery codes shown.
    The code just used is spent: the next one the platform accepts is ``next_code(app)``.
    """
    import pyotp

    page.goto("/account/two-factor")
    page.get_by_role("button", name="Configura l'accesso in due passaggi").click()
    expect(page.get_by_role("img", name="Codice QR da inquadrare con l'app di autenticazione")
           ).to_be_visible()
    app = pyotp.TOTP(page.locator("#two-factor-secret").inner_text().replace(" ", ""))
    shot(page, "two-factor-set-up")
    textbox(page, "Codice").fill(app.now())
    page.get_by_role("button", name="Attiva l'accesso in due passaggi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I tuoi codici di recupero")
    return app, page.locator(".recovery-codes code").all_inner_texts()


def next_code(app) -> str:
    """The code after the current one: accepted now (one step ahead), and unused."""
    return app.at(time.time() + 30)
