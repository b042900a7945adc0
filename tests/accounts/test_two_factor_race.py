"""The same code sent twice at the same moment signs in once (PostgreSQL, real concurrency)."""
import os
import threading

import pytest

from lab.accounts import twofactor
from lab.accounts.models import User
from lab.extensions import db
from tests.factories import enable_two_factor, next_code

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="TEST_DATABASE_URL is not set to PostgreSQL")


def test_a_code_sent_twice_at_once_is_taken_once(app, delegate, monkeypatch):
    step = twofactor.current_step()
    monkeypatch.setattr(twofactor, "current_step", lambda: step)  # the threads share it
    enable_two_factor(delegate)
    code, user_id = next_code(delegate), delegate.id
    db.session.commit()
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        with app.app_context():
            try:
                person = db.session.get(User, user_id)
                barrier.wait()
                try:
                    twofactor.complete_sign_in(person, code, None)
                    outcomes.append("signed in")
                except twofactor.WrongCode:
                    outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused", "signed in"]
