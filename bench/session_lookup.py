"""Time how a request finds its person: the session-token lookup, built once or per call.

    .venv/bin/python bench/session_lookup.py                                   # SQLite
    .venv/bin/python bench/session_lookup.py --database postgresql://postgres@127.0.0.1:5432/DB

PostgreSQL: give a scratch database, its ``public`` schema is dropped and recreated (never the
suite's ``test``). 200 people with 5 sessions each; every lookup starts from an empty session
(no identity map), as a request does; the best of 3 passes over the 1,000 tokens is printed,
for the statement built once (``lab.accounts.sessions``), the same statement built per call,
and the former look-up by id (``db.session.get`` with the roles), in the same run.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import contains_eager, joinedload  # noqa: E402

from config import database_url  # noqa: E402
from lab import create_app  # noqa: E402
from lab.accounts.models import User, UserSession  # noqa: E402
from lab.accounts.sessions import _digest, person_for_token, start_session  # noqa: E402
from lab.extensions import db  # noqa: E402
from tests.conftest import reset_schema  # noqa: E402
from tests.factories import make_person  # noqa: E402


def built_per_call(_user_id, token):
    return db.session.scalars(
        select(UserSession).join(UserSession.user)
        .options(contains_eager(UserSession.user).joinedload(User.role_assignments))
        .where(UserSession.token_hash == _digest(token), UserSession.revoked_at.is_(None),
               User.active.is_(True))).unique().one_or_none()


WAYS = {
    "token, statement built once": lambda _user_id, token: person_for_token(token),
    "token, statement built per call": built_per_call,
    "id (before sessions)": lambda user_id, _token: db.session.get(
        User, user_id, options=[joinedload(User.role_assignments)]),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = args.database or f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url(url),
                                 "INSTANCE_DIR": folder})
    with app.app_context():
        reset_schema()
        upgrade()
        tokens = []
        for n in range(200):
            person = make_person(f"p{n}@example.org", f"Persona {n}", "delegate", "piemonte")
            for _ in range(5):
                start_session(person, "bench", None)
                tokens.append((person.id, person.session_token))
        for name, way in WAYS.items():
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                for user_id, token in tokens:
                    db.session.expunge_all()
                    assert way(user_id, token) is not None
                best = min(best, time.perf_counter() - started)
            print(f"{db.engine.dialect.name:10} {name:32} {best / len(tokens) * 1e6:7.0f} µs")
        db.session.remove()
        reset_schema()


if __name__ == "__main__":
    main()
