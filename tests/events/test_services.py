"""Creating and changing events: the rules on times, seats and organisers."""
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from lab.core.errors import Conflict, DomainError, NotPermitted
from lab.core.timeutil import to_rome
from lab.events import registrations, services
from lab.events.models import Event, Quota
from lab.extensions import db
from tests.events.conftest import delegates, draft, publish, rome
from tests.factories import make_person


def test_only_forum_organisers_create_events(delegate):
    with pytest.raises(NotPermitted):
        services.create_event(delegate, draft())


def test_an_end_before_the_start_is_refused(organiser):
    start = draft().starts_at
    with pytest.raises(services.InvalidField) as refusal:
        services.create_event(organiser, draft(ends_at=start - timedelta(hours=1)))
    assert refusal.value.field == "ends_at"


def test_the_database_refuses_an_end_before_the_start_too(forum):
    with pytest.raises(IntegrityError):
        db.session.execute(update(Event).where(Event.id == forum.id).values(ends_at=forum.starts_at))
        db.session.commit()
    db.session.rollback()


def test_the_database_refuses_negative_quotas(forum, piemonte):
    db.session.add(Quota(event_id=forum.id, region_id=piemonte.id, seats=-1))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_online_event_needs_its_link_and_an_in_person_one_its_venue(organiser):
    with pytest.raises(services.InvalidField, match="collegamento"):
        services.create_event(organiser, draft(format="online", venue=""))
    with pytest.raises(services.InvalidField, match="sede"):
        services.create_event(organiser, draft(venue=""))


def test_a_capacity_below_the_registrations_made_is_refused(organiser):
    event = publish(organiser, capacity=3)
    for person in delegates("toscana", 3):
        registrations.register(person, event)
    with pytest.raises(services.InvalidField, match="3 iscrizioni"):
        services.update_event(organiser, event, draft(capacity=2))
    assert db.session.get(Event, event.id).capacity == 3


def test_quotas_above_the_capacity_are_refused(forum, organiser, piemonte):
    with pytest.raises(services.InvalidField, match="superano"):
        services.set_quotas(organiser, forum, {piemonte.id: 11})
    services.set_quotas(organiser, forum, {piemonte.id: 10})
    assert [(q.region_id, q.seats) for q in forum.quotas] == [(piemonte.id, 10)]


def test_a_change_of_time_mails_the_registered_with_a_new_sequence(forum, organiser, delegate, smtp):
    registrations.register(delegate, forum)
    smtp.clear()
    sequence = forum.sequence
    services.update_event(organiser, forum, draft(starts_at=forum.starts_at + timedelta(hours=1)))
    assert db.session.get(Event, forum.id).sequence == sequence + 1
    [message] = smtp.to(delegate.email)
    assert "modificato" in message["Subject"]


def test_cancelling_needs_a_reason_and_mails_everyone(organiser, smtp):
    event = publish(organiser, capacity=1)
    seated, waiting = delegates("puglia", 2)
    registrations.register(seated, event)
    registrations.register(waiting, event)
    smtp.clear()
    with pytest.raises(services.InvalidField):
        services.cancel_event(organiser, event, "  ")
    services.cancel_event(organiser, event, "Sciopero dei trasporti")
    for person in (seated, waiting):
        [message] = smtp.to(person.email)
        assert "annullato" in message["Subject"]
    with pytest.raises(DomainError):
        registrations.register(make_person("late@example.org", "Late", "delegate", "lazio"), event)


def test_organisers_add_only_forum_organisers_as_co_organisers(forum, organiser, delegate):
    with pytest.raises(DomainError):
        services.add_organiser(organiser, forum, delegate)
    colleague = make_person("co@example.org", "Co Organizza", "organiser")
    services.add_organiser(organiser, forum, colleague)
    with pytest.raises(Conflict):
        services.add_organiser(colleague, forum, organiser)
    stranger = make_person("other@example.org", "Altra", "organiser")
    with pytest.raises(NotPermitted):
        services.add_organiser(stranger, forum, stranger)


@pytest.mark.parametrize("day", [(2027, 3, 28), (2027, 10, 31)])
def test_events_on_the_days_the_clocks_change_keep_their_local_times(organiser, day):
    event = publish(organiser, starts_at=rome(*day, 10), ends_at=rome(*day, 17, 30))
    assert to_rome(event.starts_at).strftime("%H:%M") == "10:00"
    assert to_rome(event.ends_at).strftime("%H:%M") == "17:30"
    # Summer time starts (UTC+2) on the last Sunday of March and ends on the last of October.
    assert event.starts_at.hour == (8 if day[1] == 3 else 9)
