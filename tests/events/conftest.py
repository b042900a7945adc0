"""Fixtures for events: a published forum in Turin organised by the ``organiser``."""
from datetime import datetime, timedelta

import pytest

from lab.accounts.services import region_by_slug
from lab.core.timeutil import utcnow
from lab.events import services
from lab.events.models import Format, Kind
from tests.factories import make_person


def draft(**changes) -> services.EventDraft:
    """A forum next month in Turin, open for registration now, with ``changes`` applied."""
    start = (utcnow() + timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
    values = dict(title="Forum dell'innovazione sociale", kind=Kind.FORUM.value,
                  format=Format.IN_PERSON.value, starts_at=start,
                  ends_at=start + timedelta(hours=8), description="Il **forum** annuale.",
                  venue="Centro congressi Lingotto", address="Via Nizza 280, Torino",
                  capacity=10, registration_opens_at=utcnow() - timedelta(days=1))
    values.update(changes)
    return services.EventDraft(**values)


def publish(organiser, **changes):
    event = services.create_event(organiser, draft(**changes))
    services.publish_event(organiser, event)
    return event


@pytest.fixture
def forum(organiser):
    return publish(organiser)


@pytest.fixture
def piemonte():
    return region_by_slug("piemonte")


def delegates(region: str, count: int, start: int = 0) -> list:
    return [make_person(f"{region}{n}@example.org", f"{region.title()} {n}", "delegate", region)
            for n in range(start, start + count)]


def ics_of(message):
    """The calendar attached to a mail, parsed."""
    import icalendar

    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return icalendar.Calendar.from_ical(part.get_payload(decode=True))


def rome(year, month, day, hour, minute=0) -> datetime:
    from lab.core.timeutil import rome_to_utc

    return rome_to_utc(datetime(year, month, day, hour, minute))
