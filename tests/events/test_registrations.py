"""Seats, regional reservations, the waiting list and promotion."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from lab.core.errors import Conflict, DomainError, NotPermitted
from lab.core.timeutil import utcnow
from lab.events import registrations, services
from lab.events.models import Pool, Registration, Status
from lab.extensions import db
from tests.events.conftest import delegates, ics_of, publish
from tests.factories import make_person


def statuses(event):
    return [(r.user.email, r.status, r.pool) for r in db.session.scalars(
        select(Registration).where(Registration.event_id == event.id).order_by(Registration.id))]


def test_a_delegate_takes_a_seat_and_gets_the_calendar_by_mail(forum, delegate, smtp):
    registration = registrations.register(delegate, forum)
    assert registration.status == Status.REGISTERED and registration.pool == Pool.GENERAL
    [message] = smtp.to(delegate.email)
    assert "confermata" in message["Subject"]
    [entry] = ics_of(message).walk("VEVENT")
    assert str(entry["summary"]) == forum.title


def test_a_second_registration_is_refused(forum, delegate):
    registrations.register(delegate, forum)
    with pytest.raises(Conflict):
        registrations.register(delegate, forum)


def test_registering_after_the_close_or_before_the_opening_is_refused(organiser, delegate):
    closed = publish(organiser, registration_opens_at=utcnow() - timedelta(days=3),
                     registration_closes_at=utcnow() - timedelta(days=1))
    with pytest.raises(DomainError, match="non sono aperte"):
        registrations.register(delegate, closed)
    later = publish(organiser, registration_opens_at=utcnow() + timedelta(days=1))
    with pytest.raises(DomainError, match="non sono aperte"):
        registrations.register(delegate, later)


def test_a_draft_takes_no_registrations(organiser, delegate):
    from tests.events.conftest import draft

    event = services.create_event(organiser, draft())
    with pytest.raises(DomainError):
        registrations.register(delegate, event)


def test_closing_early_stops_registrations(forum, organiser, delegate):
    services.close_registration(organiser, forum)
    with pytest.raises(DomainError, match="non sono aperte"):
        registrations.register(delegate, forum)


def test_reserved_seats_go_to_their_region_and_the_rest_to_the_general_pool(organiser, piemonte):
    event = publish(organiser, capacity=3)
    services.set_quotas(organiser, event, {piemonte.id: 2})
    toscani = delegates("toscana", 2)
    piemontesi = delegates("piemonte", 3)
    for person in toscani + piemontesi:
        registrations.register(person, event)
    assert [(status, pool) for _, status, pool in statuses(event)] == [
        ("registered", "general"), ("waiting", None),  # Toscana: one general seat only
        ("registered", "region"), ("registered", "region"), ("waiting", None)]


def test_a_cancellation_promotes_the_first_waiting_person_who_fits(organiser, piemonte, smtp):
    event = publish(organiser, capacity=2)
    services.set_quotas(organiser, event, {piemonte.id: 1})
    [piemontese] = delegates("piemonte", 1)
    toscano, pugliese = delegates("toscana", 1) + delegates("puglia", 1)
    seat = registrations.register(piemontese, event)
    registrations.register(toscano, event)  # the general seat
    registrations.register(pugliese, event)  # waits
    [second_piemontese] = delegates("piemonte", 1, start=5)
    registrations.register(second_piemontese, event)  # waits, after the Puglia delegate
    smtp.clear()
    promoted = registrations.cancel_registration(piemontese, seat)
    # The freed seat is Piemonte's: the Puglia delegate, though first, does not fit it.
    assert promoted.user_id == second_piemontese.id and promoted.pool == Pool.REGION
    [message] = smtp.to(second_piemontese.email)
    assert "liberato" in message["Subject"] and ics_of(message).walk("VEVENT")
    assert smtp.to(pugliese.email) == []


def test_a_general_seat_freed_goes_to_the_first_in_line(organiser):
    event = publish(organiser, capacity=1)
    first, second, third = delegates("lazio", 3)
    seat = registrations.register(first, event)
    registrations.register(second, event)
    registrations.register(third, event)
    promoted = registrations.cancel_registration(first, seat)
    assert promoted.user_id == second.id


def test_an_organiser_promotes_by_hand_only_into_a_free_seat(organiser):
    event = publish(organiser, capacity=1)
    first, second = delegates("marche", 2)
    registrations.register(first, event)
    waiting = registrations.register(second, event)
    with pytest.raises(DomainError, match="posto libero"):
        registrations.promote(organiser, waiting)
    services.update_event(organiser, event, _same(event, capacity=2))
    registrations.promote(organiser, waiting)
    assert db.session.get(Registration, waiting.id).status == Status.REGISTERED


def test_a_region_admin_registers_the_delegates_of_their_region_only(forum, region_admin,
                                                                    other_region_admin, delegate):
    with pytest.raises(NotPermitted):
        registrations.register(other_region_admin, forum, delegate)
    registration = registrations.register(region_admin, forum, delegate)
    assert registration.registered_by_id == region_admin.id and registration.user_id == delegate.id


def test_another_person_cannot_cancel_a_registration(forum, delegate):
    registration = registrations.register(delegate, forum)
    stranger = make_person("s2@example.org", "Stranger", "delegate", "toscana")
    with pytest.raises(NotPermitted):
        registrations.cancel_registration(stranger, registration)


def _same(event, **changes):
    from lab.events.services import EventDraft

    values = {name: getattr(event, name) for name in (
        "title", "kind", "format", "starts_at", "ends_at", "description", "venue", "address",
        "online_url", "region_id", "capacity", "registration_opens_at", "registration_closes_at")}
    values.update(changes)
    return EventDraft(**values, group_ids=[group.id for group in event.groups])
