"""Two submissions at once for one region produce exactly one entry, and the chain never forks."""
import os
import threading

import pytest
from sqlalchemy import func, select

from lab.accounts import twofactor
from lab.core.errors import Conflict
from lab.extensions import db
from lab.pact import integrity, services, versions
from lab.pact.models import LedgerEntry
from tests.factories import make_person
from tests.pact.conftest import declaration

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="TEST_DATABASE_URL is not set to PostgreSQL")


def run_together(app, people, attempts_each=1):
    """Start one thread per person, release them at once, and collect what each got."""
    ids = [person.id for person in people]
    db.session.commit()
    barrier = threading.Barrier(len(ids))
    outcomes = []

    def attempt(user_id):
        with app.app_context():
            from lab.accounts.models import User

            try:
                person = db.session.get(User, user_id)
                version = versions.current_version()
                declarations = [declaration(person) for _ in range(attempts_each)]
                barrier.wait()
                for stated in declarations:
                    try:
                        outcomes.append(services.sign_pact(person, version, stated).seq)
                    except Conflict:
                        outcomes.append("conflict")
            finally:  # a failed thread must not leave a transaction that blocks the clean-up
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(user_id,)) for user_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture(autouse=True)
def _one_step(authenticator_clock, monkeypatch):
    """Keep the authenticators' clock on one step: the threads share it, and each signer
    needs only two codes (setting the app up, then signing), which one step allows."""
    step = twofactor.current_step()
    monkeypatch.setattr(twofactor, "current_step", lambda: step)


def test_two_concurrent_signatures_for_one_region_make_one_entry(app, version, signatory):
    colleague = make_person("collega@example.org", "Collega", "delegate", "piemonte", mandate=True)
    outcomes = run_together(app, [signatory, colleague])
    assert sorted(outcomes, key=str) == [1, "conflict"]
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 1


def test_concurrent_signatures_of_many_regions_keep_one_chain(app, version):
    slugs = ["piemonte", "toscana", "puglia", "molise", "calabria", "lazio", "umbria", "marche"]
    people = [make_person(f"firma@{slug}.it", slug, "delegate", slug, mandate=True) for slug in slugs]
    outcomes = run_together(app, people)
    assert sorted(outcomes) == list(range(1, len(slugs) + 1))
    verdict = integrity.verify_ledger()
    assert verdict.ok and verdict.count == len(slugs)
