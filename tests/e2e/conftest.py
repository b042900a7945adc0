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
from playwright.sync_api import sync_playwright

from tests.smtp import SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT = 30
DEMO_PASSWORD = "Laboratorio-demo-2019"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):
    folder = Path(__file__).parent
    for item in items:
        if folder in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _clean():
    """Replace the suite's per-test clean-up: these tests never open the in-process app or its database."""
    yield


@dataclass
class LiveServer:
    base_url: str
    smtp: SmtpSink
    folder: Path

    def url(self, path: str) -> str:
        return self.base_url + path


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
    # Settings a developer may have exported for their own server must not leak in.
    for name in ("UPLOAD_DIR", "MAIL_FILE_DIR", "RATELIMIT_STORAGE_URI", "SOCKETIO_MESSAGE_QUEUE",
                 "SIGN_IN_LIMIT", "SIGN_IN_ADDRESS_LIMIT", "FLASK_APP"):
        env.pop(name, None)
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
    tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
    pytest.fail(f"The e2e server did not answer /healthz within {START_TIMEOUT}s "
                f"(exit code {process.poll()}). Last lines of its stderr:\n{tail}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def live_server():
    with tempfile.TemporaryDirectory(prefix="lab-e2e-") as tmp:
        folder = Path(tmp)
        sink = SmtpSink()
        sink.start()
        port = free_port()
        env = _server_env(folder, port, sink.port)
        log = folder / "server.stderr.log"
        process = None
        try:
            _flask(env, "db", "upgrade")
            _flask(env, "lab", "seed-demo")
            with log.open("wb") as stderr:
                process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env,
                                           stdout=subprocess.DEVNULL, stderr=stderr)
            base_url = f"http://127.0.0.1:{port}"
            _wait_healthy(base_url, process, log)
            yield LiveServer(base_url, sink, folder)
        finally:
            if process is not None:
                _stop(process)
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
    """Run axe-core (served by the app, so the CSP allows it) and return serious and critical violations."""
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


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the sign-in form and wait to land on the next page."""
    page.goto("/sign-in")
    page.get_by_role("textbox", name="Email", exact=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    page.get_by_role("button", name="Accedi", exact=True).click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
