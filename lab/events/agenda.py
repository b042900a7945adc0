"""An event's agenda: sessions and breaks inside the event's own times."""
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from flask_babel import gettext as _

from lab.accounts.audit import record
from lab.accounts.models import User
from lab.core.errors import NotFound
from lab.core.timeutil import to_rome_date
from lab.events.models import Event, Session
from lab.events.services import InvalidField, bump, check_manager
from lab.extensions import db


@dataclass
class SessionDraft:
    title: str
    starts_at: datetime  # naive UTC
    ends_at: datetime
    place: str = ""
    speakers: str = ""
    description: str = ""
    is_break: bool = False


def add_session(actor: User, event: Event, draft: SessionDraft) -> Session:
    """Add a session or a break to the agenda; calendars get the new version."""
    check_manager(actor, event)
    if not draft.title.strip():
        raise InvalidField("title", _("Indica il titolo della sessione."))
    if draft.ends_at <= draft.starts_at:
        raise InvalidField("ends_at", _("La sessione deve finire dopo l'inizio."))
    if draft.starts_at < event.starts_at or draft.ends_at > event.ends_at:
        raise InvalidField("starts_at", _("La sessione deve cadere dentro gli orari dell'evento."))
    session = Session(event=event, title=draft.title.strip(), starts_at=draft.starts_at,
                      ends_at=draft.ends_at, place=draft.place.strip(),
                      speakers=draft.speakers.strip(), description=draft.description.strip(),
                      is_break=draft.is_break)
    db.session.add(session)
    bump(event)
    record("event.session_added", actor=actor, event=event.id)
    db.session.commit()
    return session


def remove_session(actor: User, session: Session) -> None:
    """Take a session off the agenda."""
    event = session.event
    check_manager(actor, event)
    db.session.delete(session)
    bump(event)
    record("event.session_removed", actor=actor, event=event.id)
    db.session.commit()


def session_in(event: Event, session_id: int) -> Session:
    session = db.session.get(Session, session_id)
    if session is None or session.event_id != event.id:
        raise NotFound(_("Sessione non trovata."))
    return session


def agenda_by_day(event: Event) -> list[tuple[date, list[Session]]]:
    """The sessions grouped by their day in Rome, in time order."""
    return [(day, list(sessions)) for day, sessions in
            groupby(event.sessions, key=lambda session: to_rome_date(session.starts_at))]
