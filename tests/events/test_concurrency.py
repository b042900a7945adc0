"""Fifty people at once for the last ten seats: ten seated, forty waiting in arrival order."""
import os
import threading

import pytest
from sqlalchemy import select

from lab.events import registrations
from lab.events.models import Registration, Status
from lab.extensions import db
from tests.events.conftest import delegates, publish

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="TEST_DATABASE_URL is not set to PostgreSQL")


def test_fifty_people_for_the_last_ten_seats_never_overbook(app, organiser):
    event = publish(organiser, capacity=20)
    for person in delegates("lazio", 10):
        registrations.register(person, event)
    people = [p.id for p in delegates("toscana", 25) + delegates("puglia", 25)]
    event_id = event.id
    db.session.commit()
    barrier = threading.Barrier(len(people))
    arrivals, lock = [], threading.Lock()

    def attempt(user_id):
        with app.app_context():
            from lab.accounts.models import User
            from lab.events.models import Event

            # No connection is held at the barrier: fifty would exceed the pool.
            barrier.wait()
            person, target = db.session.get(User, user_id), db.session.get(Event, event_id)
            registration = registrations.register(person, target)
            with lock:
                arrivals.append((registration.id, user_id))
            db.session.remove()

    threads = [threading.Thread(target=attempt, args=(user_id,)) for user_id in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    rows = list(db.session.scalars(select(Registration).where(
        Registration.event_id == event_id, Registration.user_id.in_(people))
        .order_by(Registration.id)))
    assert len(rows) == 50
    assert [r.status for r in rows] == [Status.REGISTERED] * 10 + [Status.WAITING] * 40
    # Arrival order is the order in which the lock let them in, which is the id order.
    assert all(r.seated_at is not None for r in rows[:10])
    assert sorted(arrivals) == [(r.id, r.user_id) for r in rows]


def test_unconfirmed_requests_never_hold_a_seat_while_confirmations_race_registrations(app, organiser):
    from lab.events import signup
    from lab.events.models import Signup
    from lab.events.tokens import digest

    event = publish(organiser, capacity=20)
    for person in delegates("lazio", 10):
        registrations.register(person, event)
    # Thirty requests nobody confirms, and twenty-five confirmed in the race below.
    for n in range(55):
        db.session.add(Signup(event=event, name=f"Ospite {n}", email=f"ospite{n}@example.org",
                              token_hash=digest(f"token-{n}"), details={},
                              expires_at=event.starts_at))
    members = [p.id for p in delegates("toscana", 25)]
    event_id = event.id
    db.session.commit()
    racers = [("member", user_id) for user_id in members] + [("guest", n) for n in range(30, 55)]
    barrier = threading.Barrier(len(racers))
    arrivals, lock = [], threading.Lock()

    def attempt(kind, key):
        with app.app_context():
            from lab.accounts.models import User
            from lab.events.models import Event

            barrier.wait()
            if kind == "member":
                registration = registrations.register(db.session.get(User, key),
                                                      db.session.get(Event, event_id))
            else:
                registration = signup.confirm_signup(f"token-{key}")
            with lock:
                arrivals.append(registration.id)
            db.session.remove()

    threads = [threading.Thread(target=attempt, args=racer) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    rows = list(db.session.scalars(select(Registration).where(Registration.event_id == event_id)
                                   .order_by(Registration.id)))
    assert len(rows) == 60  # ten before, fifty in the race; the thirty unconfirmed made none
    assert [r.status for r in rows] == [Status.REGISTERED] * 20 + [Status.WAITING] * 40
    assert sorted(arrivals) == [r.id for r in rows[10:]]
    assert sum(r.is_guest for r in rows) == 25


def test_a_link_clicked_twice_at_once_confirms_once_and_says_so_the_second_time(app, organiser):
    from lab.events import signup
    from lab.events.models import Signup
    from lab.events.tokens import digest

    event = publish(organiser, capacity=20)
    db.session.add(Signup(event=event, name="Ospite", email="ospite@example.org",
                          token_hash=digest("twice"), details={}, expires_at=event.starts_at))
    event_id = event.id
    db.session.commit()
    barrier = threading.Barrier(2)
    outcomes, lock = [], threading.Lock()

    def click():
        with app.app_context():
            # Both read the request before either takes the event's lock.
            signup.signup_for("twice")
            barrier.wait()
            try:
                outcome = signup.confirm_signup("twice").status
            except signup.LinkClosed as closed:
                outcome = closed.title
            with lock:
                outcomes.append(outcome)
            db.session.remove()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["Collegamento già usato", Status.REGISTERED]
    assert len(db.session.scalars(select(Registration).where(
        Registration.event_id == event_id)).all()) == 1
