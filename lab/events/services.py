"""Creating, changing, publishing and cancelling events; organisers and regional seat quotas."""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lab.accounts.audit import record
from lab.accounts.models import User
from lab.core.errors import Conflict, DomainError, NotPermitted
from lab.core.timeutil import utcnow
from lab.events import mails
from lab.events.models import Event, Format, Kind, Organiser, Quota, State, Status
from lab.events.queries import can_manage, registrations, seat_counts
from lab.extensions import db
from lab.groups.models import Group


class InvalidField(DomainError):
    """A value of the event's form breaks a rule; ``field`` names the form field to mark."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass
class EventDraft:
    title: str
    kind: str
    format: str
    starts_at: datetime  # naive UTC, like every stored moment
    ends_at: datetime
    description: str = ""
    venue: str = ""
    address: str = ""
    online_url: str = ""
    region_id: int | None = None
    group_ids: list[int] = field(default_factory=list)
    capacity: int | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    signing_occasion: bool = False


# Changing these tells every registered person, with the new calendar entry.
NOTIFIED_FIELDS = ("starts_at", "ends_at", "venue", "address", "format")


def lock_event(event: Event) -> Event:
    """Take the event's row lock (PostgreSQL) and reload it, so seat counts read under it are final.

    Its quotas come in the same round trip (they change only under this lock too).
    """
    return db.session.scalars(select(Event).where(Event.id == event.id)
                              .options(joinedload(Event.quotas)).with_for_update(of=Event)
                              .execution_options(populate_existing=True)).unique().one()


def create_event(actor: User, draft: EventDraft) -> Event:
    """Create an event as a draft, with its creator as first organiser."""
    if not actor.is_organiser:
        raise NotPermitted(_("Solo gli organizzatori di forum possono creare eventi."))
    _check_draft(draft)
    event = Event(created_by_id=actor.id, state=State.DRAFT.value)
    _apply(event, draft)
    db.session.add(event)
    db.session.add(Organiser(event=event, user=actor, added_by_id=actor.id))
    db.session.flush()
    record("event.created", actor=actor, event=event.id)
    db.session.commit()
    return event


def update_event(actor: User, event: Event, draft: EventDraft) -> None:
    """Change an event; registered people are told of a new time or place."""
    check_manager(actor, event)
    if event.is_cancelled:
        raise DomainError(_("Un evento annullato non si modifica più."))
    _check_draft(draft)
    if any(s.starts_at < draft.starts_at or s.ends_at > draft.ends_at for s in event.sessions):
        raise InvalidField("starts_at", _("Alcune sessioni del programma cadrebbero fuori dai "
                                          "nuovi orari: spostale prima."))
    event = lock_event(event)
    _check_seats(event, draft.capacity, {q.region_id: q.seats for q in event.quotas})
    before = {name: getattr(event, name) for name in NOTIFIED_FIELDS}
    _apply(event, draft)
    bump(event)
    record("event.updated", actor=actor, event=event.id)
    if event.state == State.PUBLISHED and any(getattr(event, k) != v for k, v in before.items()):
        for registration in registrations(event, Status.REGISTERED):
            mails.notify_registration(registration, "changed")
    db.session.commit()


def publish_event(actor: User, event: Event) -> None:
    """Make a draft public."""
    check_manager(actor, event)
    if event.state != State.DRAFT:
        raise DomainError(_("Solo una bozza può essere pubblicata."))
    event.state = State.PUBLISHED.value
    bump(event)
    record("event.published", actor=actor, event=event.id)
    db.session.commit()


def cancel_event(actor: User, event: Event, reason: str) -> None:
    """Cancel an event, telling everyone registered or waiting why."""
    check_manager(actor, event)
    if event.is_cancelled:
        raise DomainError(_("L'evento è già annullato."))
    if not reason.strip():
        raise InvalidField("reason", _("Indica il motivo dell'annullamento."))
    event = lock_event(event)
    event.state, event.cancel_reason = State.CANCELLED.value, reason.strip()
    bump(event)
    record("event.cancelled", actor=actor, event=event.id)
    for status in (Status.REGISTERED, Status.WAITING):
        for registration in registrations(event, status):
            mails.notify_registration(registration, "cancelled")
    db.session.commit()


def add_organiser(actor: User, event: Event, person: User) -> None:
    """Name another forum organiser as co-organiser of the event."""
    check_manager(actor, event)
    if not person.is_organiser:
        raise DomainError(_("Solo un organizzatore di forum può organizzare un evento."))
    if any(organiser.user_id == person.id for organiser in event.organisers):
        raise Conflict(_("La persona organizza già questo evento."))
    db.session.add(Organiser(event=event, user=person, added_by_id=actor.id))
    record("event.organiser_added", actor=actor, subject=person, event=event.id)
    db.session.commit()


def set_quotas(actor: User, event: Event, seats: dict[int, int]) -> None:
    """Reserve seats for member regions (0 removes a reservation); the rest is the general pool."""
    check_manager(actor, event)
    if any(count < 0 for count in seats.values()):
        raise DomainError(_("I posti riservati non possono essere negativi."))
    event = lock_event(event)
    wanted = {region_id: count for region_id, count in seats.items() if count}
    _check_seats(event, event.capacity, wanted)
    event.quotas = [Quota(region_id=region_id, seats=count) for region_id, count in wanted.items()]
    record("event.quotas_set", actor=actor, event=event.id, seats=sum(wanted.values()))
    db.session.commit()


def close_registration(actor: User, event: Event) -> None:
    """Stop taking registrations now, before the planned closing."""
    check_manager(actor, event)
    now = utcnow()
    if event.registration_closes_at is not None and event.registration_closes_at <= now:
        raise DomainError(_("Le iscrizioni sono già chiuse."))
    if event.registration_opens_at is not None and event.registration_opens_at >= now:
        event.registration_opens_at = None
    event.registration_closes_at = now
    record("event.registration_closed", actor=actor, event=event.id)
    db.session.commit()


def check_manager(actor: User, event: Event) -> None:
    if not can_manage(actor, event):
        raise NotPermitted(_("Solo gli organizzatori dell'evento possono farlo."))


def _check_draft(draft: EventDraft) -> None:
    if not draft.title.strip():
        raise InvalidField("title", _("Indica il titolo dell'evento."))
    if draft.kind not in set(Kind) or draft.format not in set(Format):
        raise InvalidField("kind", _("Scegli il tipo e il formato dell'evento."))
    if draft.ends_at <= draft.starts_at:
        raise InvalidField("ends_at", _("La fine dell'evento deve venire dopo l'inizio."))
    if draft.capacity is not None and draft.capacity < 0:
        raise InvalidField("capacity", _("La capienza non può essere negativa."))
    opens, closes = draft.registration_opens_at, draft.registration_closes_at
    if opens and closes and closes <= opens:
        raise InvalidField("registration_closes_at",
                           _("La chiusura delle iscrizioni deve venire dopo l'apertura."))
    if draft.format != Format.ONLINE and not draft.venue.strip():
        raise InvalidField("venue", _("Indica la sede dell'evento in presenza."))
    if draft.format != Format.IN_PERSON and not draft.online_url.startswith(("https://", "http://")):
        raise InvalidField("online_url", _("Indica il collegamento (https://…) dell'evento online."))


def _check_seats(event: Event, capacity: int | None, quotas: dict[int, int]) -> None:
    """Refuse a capacity or reservations that the seats already taken no longer fit in."""
    general, regional = seat_counts(event.id)
    taken = general + sum(regional.values())
    reserved = sum(quotas.values())
    if capacity is None:
        if reserved:
            raise InvalidField("capacity", _("Per riservare posti alle regioni indica la capienza."))
        return
    if capacity < taken:
        raise InvalidField("capacity", _("La capienza non può essere inferiore alle %(count)d "
                                         "iscrizioni già fatte.", count=taken))
    if reserved > capacity:
        raise InvalidField("capacity", _("I posti riservati alle regioni (%(reserved)d) superano "
                                         "la capienza (%(capacity)d).",
                                         reserved=reserved, capacity=capacity))
    if any(count > quotas.get(region_id, 0) for region_id, count in regional.items()) \
            or general > capacity - reserved:
        raise InvalidField("capacity", _("Le iscrizioni già fatte non rientrano in questa "
                                         "ripartizione dei posti."))


def _apply(event: Event, draft: EventDraft) -> None:
    for name in ("kind", "format", "starts_at", "ends_at", "region_id", "capacity",
                 "registration_opens_at", "registration_closes_at", "signing_occasion"):
        setattr(event, name, getattr(draft, name))
    for name in ("title", "description", "venue", "address", "online_url"):
        setattr(event, name, getattr(draft, name).strip())
    event.groups = list(db.session.scalars(select(Group).where(Group.id.in_(draft.group_ids))))


def bump(event: Event) -> None:
    event.sequence += 1
    event.updated_at = utcnow()
