"""Events as occasions for signing the Pact, and the adhesions signed at them.

The dependency goes one way: events import the Pact, and lend it the current occasions through
``lab.pact.occasions.lend`` when this module is loaded; the Pact never imports events.
"""
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lab.core.timeutil import format_day, utcnow
from lab.events.models import Adhesion, Event, State
from lab.extensions import db
from lab.pact import occasions as pact_occasions
from lab.pact.models import LedgerEntry

# A region may sign at an event from the day before it starts to the day after it ends, so a
# signature put on record the evening before or the morning after still belongs to it.
MARGIN = timedelta(days=1)


def current_occasions() -> list[Event]:
    """Published events marked as signing occasions that are on now (give or take ``MARGIN``)."""
    now = utcnow()
    return list(db.session.scalars(
        select(Event).where(Event.signing_occasion, Event.state == State.PUBLISHED.value,
                            Event.starts_at <= now + MARGIN, Event.ends_at > now - MARGIN)
        .order_by(Event.starts_at, Event.id)))


def adhesions_at(event: Event) -> list[LedgerEntry]:
    """The register's adhesions signed at the event, in the register's order."""
    return list(db.session.scalars(
        select(LedgerEntry).join(Adhesion, Adhesion.entry_seq == LedgerEntry.seq)
        .where(Adhesion.event_id == event.id)
        .options(selectinload(LedgerEntry.region)).order_by(LedgerEntry.seq)))


def link_adhesion(entry: LedgerEntry, event_id: int) -> None:
    """Record, in the caller's transaction, that the adhesion ``entry`` was signed at the event."""
    db.session.add(Adhesion(entry_seq=entry.seq, event_id=event_id))


def _offered() -> list[pact_occasions.Occasion]:
    return [pact_occasions.Occasion(event.id, event.title,
                                    f"{event.title} ({format_day(event.starts_at, 'long')})")
            for event in current_occasions()]


pact_occasions.lend(_offered, lambda entry, occasion: link_adhesion(entry, occasion.id))
