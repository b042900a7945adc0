"""Real server processes (deploy/serve.py, gevent) on PostgreSQL and Redis, and their clients.

Used by the two-process test and by the benchmarks under bench/.
"""
import contextvars
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests
import socketio
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "deploy" / "serve.py"
SECRET = "cluster-test-secret"
START_TIMEOUT = 90  # seconds; starting takes about 4 s of CPU, several times that on a loaded machine


@contextmanager
def scratch_database(server_url: str):
    """Create an empty PostgreSQL database next to ``server_url``'s, and drop it afterwards."""
    from config import database_url

    server = database_url(server_url)
    name = f"lab_cluster_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def prepare(url: str, members: int, instance: Path) -> dict:
    """Migrate the database and create a group room with a coordinator and ``members`` members."""
    return contextvars.Context().run(_prepare, url, members, instance)


def _prepare(url: str, members: int, instance: Path) -> dict:
    from flask_migrate import upgrade

    from lab import create_app
    from lab.extensions import db
    from lab.groups import services as groups
    from lab.rooms import services as rooms
    from tests.factories import make_person

    # The appointment's mail goes to a file: no SMTP server listens for the servers' set-up.
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": instance,
                                 "MAIL_BACKEND": "file"})
    with app.app_context():
        upgrade()
        admin = make_person("admin@cluster.example", "Admin", "platform_admin")
        lead = make_person("lead@cluster.example", "Lead", "delegate", "piemonte")
        group = groups.create_group(admin, groups.GroupDraft("Gruppo del cluster", "Cluster group"))
        groups.appoint_coordinator(admin, group, lead)
        groups.set_open(admin, group, True)
        emails = [lead.email]
        for n in range(members):
            person = make_person(f"member{n}@cluster.example", f"Member {n}", "delegate", "toscana")
            groups.ask_to_join(person, group)
            emails.append(person.email)
        room_id, laboratory_id = rooms.group_room(group).id, rooms.laboratory_room().id
        admin_email = admin.email
        db.session.remove()
        db.engine.dispose()
    return {"room": room_id, "laboratory": laboratory_id, "emails": emails, "admin": admin_email}


def server_env(database: str, redis_url: str, port: int, instance: Path, prefix: str,
               **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "TEST_REDIS_URL")}
    env.update({
        "LAB_CONFIG": "development", "SECRET_KEY": SECRET, "DATABASE_URL": database,
        "SITE_URL": f"http://127.0.0.1:{port}", "HOST": "127.0.0.1", "PORT": str(port),
        "LAB_INSTANCE_DIR": str(instance), "MAIL_BACKEND": "file",
        "SOCKETIO_MESSAGE_QUEUE": redis_url, "RATELIMIT_STORAGE_URI": redis_url,
        "ROOMS_REDIS_PREFIX": prefix, "PYTHONUNBUFFERED": "1",
    })
    env.update({k: str(v) for k, v in extra.items()})
    env.pop("FLASK_APP", None)
    return env


class Server:
    """One ``deploy/serve.py`` process."""

    def __init__(self, env: dict, log: Path, script: Path = SERVE):
        self.env, self.log, self.script = env, log, script
        self.url = f"http://127.0.0.1:{env['PORT']}"
        self.process = None

    def start(self) -> "Server":
        with self.log.open("ab") as stderr:
            self.process = subprocess.Popen([sys.executable, str(self.script)], cwd=ROOT,
                                            env=self.env, stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.url} did not start:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """Stop the process at once, as a crash would (SIGKILL)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()


def session_cookie(base_url: str, email: str, password: str) -> str:
    """Sign in through the form (with its CSRF token) and return the session cookie."""
    with requests.Session() as browser:
        page = browser.get(base_url + "/sign-in", timeout=10).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        data = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
        response = browser.post(base_url + "/sign-in", data=data, allow_redirects=False, timeout=10)
        if response.status_code != 302:
            raise RuntimeError(f"sign-in of {email} failed: {response.status_code}")
        return browser.cookies["session"]


def post_form(base_url: str, cookie: str, path: str, **data) -> int:
    """Post a form as the browser holding ``cookie`` would, with a CSRF token; return the status."""
    with requests.Session() as browser:
        browser.cookies.set("session", cookie)
        page = browser.get(base_url + "/account", timeout=10).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        data["csrf_token"] = token.group(1) if token else ""
        response = browser.post(base_url + path, data=data, allow_redirects=False, timeout=10)
        return response.status_code


def rooms_client(base_url: str, cookie: str, **handlers) -> socketio.Client:
    """Connect a python-socketio client to ``/rooms`` over WebSocket with a session cookie."""
    client = socketio.Client(reconnection=False)
    for event, handler in handlers.items():
        client.on(event, handler, namespace="/rooms")
    client.connect(base_url, headers={"Cookie": f"session={cookie}"}, namespaces=["/rooms"],
                   transports=["websocket"], wait_timeout=10)
    return client
