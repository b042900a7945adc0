"""Shared fixtures: the app on a migrated database, a real SMTP server, people by role.

The suite runs on SQLite by default and on PostgreSQL and Redis when ``TEST_DATABASE_URL`` and
``TEST_REDIS_URL`` are set (``.ci/run`` sets both).
"""
import contextvars
import itertools
import os
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text

from lab import create_app
from lab.core import jobs
from lab.core.changes import MOVE_VERSION
from lab.extensions import db, limiter
from lab.library.index import rebuild_full_text
from lab.pact.keys import generate_key_file
from tests.append_only import triggers_bypassed
from tests.factories import make_person
from tests.smtp import SmtpSink


def _give_each_worker_its_own_databases() -> None:
    """Under pytest-xdist (``make test`` runs a worker per core), point each worker at a
    PostgreSQL database and a Redis database of its own: ``test`` becomes ``test_gw0``,
    ``test_gw1``..., Redis's ``/0`` becomes ``/0``, ``/1``... Set before any test module reads
    the variables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ...
    if not worker:
        return
    database = os.environ.get("TEST_DATABASE_URL", "")
    if database.startswith("postgres"):
        own = f"{urlsplit(database).path.lstrip('/')}_{worker}"
        admin = create_engine(_driver(database), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": own}) is None:
                connection.execute(text(f'CREATE DATABASE "{own}"'))
        admin.dispose()
        os.environ["TEST_DATABASE_URL"] = urlunsplit(urlsplit(database)._replace(path=f"/{own}"))
    if redis := os.environ.get("TEST_REDIS_URL"):
        parts = urlsplit(redis)
        number = int(parts.path.lstrip("/") or 0) + int(worker.removeprefix("gw"))
        os.environ["TEST_REDIS_URL"] = urlunsplit(parts._replace(path=f"/{number}"))


def _driver(url: str) -> str:
    from config import database_url

    return database_url(url)


_give_each_worker_its_own_databases()
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
# Reference data put there by migrations; every other table is emptied between tests.
KEPT_TABLES = {"regions", "alembic_version", "data_versions"}


@pytest.fixture(scope="session")
def smtp():
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


class RequestClient(FlaskClient):
    """Serve each request in an app context of its own, as in production.

    The test's own session ends its transaction first, so it holds no lock while the request
    writes and reloads what the request changed.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.rollback()
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(smtp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("instance")
    database = TEST_DATABASE_URL or f"sqlite:///{folder / 'test.sqlite'}"
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": _driver(database),
        "INSTANCE_DIR": folder,
        "UPLOAD_DIR": folder / "uploads",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp.port,
        "SERVER_NAME": "localhost",
        "PACT_SIGNING_KEY": folder / "keys" / "pact.pem",
        "JOBS_REDIS_URL": TEST_REDIS_URL,
    })
    generate_key_file(app.config["PACT_SIGNING_KEY"])
    app.test_client_class = RequestClient
    with app.app_context():
        reset_schema()
        upgrade()
    return app


def reset_schema() -> None:
    """Start every session from an empty database so migrations build it from nothing."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEPT_TABLES]
    with db.engine.begin() as connection, triggers_bypassed(connection):
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            # practices and practice_revisions point at each other: check at commit, when empty.
            connection.execute(text("PRAGMA defer_foreign_keys = ON"))
            for table in tables:
                connection.execute(table.delete())
            rebuild_full_text(connection)  # its triggers were bypassed with the others
        connection.execute(MOVE_VERSION)  # the pages kept for visitors showed the emptied rows


@pytest.fixture(autouse=True)
def _clean(app, smtp):
    with app.app_context():
        yield
        db.session.remove()
        empty_tables()
    limiter.reset()
    smtp.clear()


@pytest.fixture
def job_queue(app):
    """The real job queue (SQLite, or Redis with ``TEST_REDIS_URL``): jobs wait for ``run_due``.

    Every other test runs jobs at once, inside the commit that queues them (``JOBS_IMMEDIATE``).
    """
    huey = jobs.queue(app)
    huey.immediate = False
    huey.flush()
    yield huey
    huey.flush()
    huey.immediate = True


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- people by role ---------------------------------------------------------------------------

@pytest.fixture
def admin():
    return make_person("admin@example.org", "Ada Admin", "platform_admin")


@pytest.fixture
def region_admin():
    return make_person("admin.piemonte@example.org", "Piera Admin", "region_admin", "piemonte")


@pytest.fixture
def other_region_admin():
    return make_person("admin.toscana@example.org", "Tosca Admin", "region_admin", "toscana")


@pytest.fixture
def delegate():
    return make_person("delegato@example.org", "Dario Delegato", "delegate", "piemonte")


@pytest.fixture
def signatory():
    return make_person("firma@example.org", "Fiorella Firma", "delegate", "piemonte", mandate=True)


@pytest.fixture
def organiser():
    return make_person("organizza@example.org", "Olga Organizza", "organiser")


@pytest.fixture
def authenticator_clock(monkeypatch):
    """Let each reading of the authenticators' clock come one 30-second step after the last.

    Every code is accepted once only, so a real clock would allow a person two codes every
    30 seconds; this way a test uses as many as it needs, and never waits.
    """
    from lab.accounts import twofactor

    steps = itertools.count(twofactor.current_step())
    monkeypatch.setattr(twofactor, "current_step", lambda: next(steps))


def sign_in(client, user, password=None):
    """Sign a test client in through the real form."""
    from tests.factories import PASSWORD

    response = client.post("/sign-in", data={"email": user.email, "password": password or PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def sign_in_with_code(client, user, code, password=None):
    """Sign a test client in through both steps: the password, then the authenticator's code."""
    first = sign_in(client, user, password)
    assert first.location.startswith("/sign-in/code"), first.location
    response = client.post("/sign-in/code", data={"code": code})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@contextmanager
def statements_run():
    """Collect the SQL statements the block sends to the database, in order."""
    statements = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
