"""Reading events: the public list, who organises, who holds a seat and who waits."""
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from lab.accounts.models import Region, User
from lab.core.errors import NotFound, NotPermitted
from lab.core.timeutil import rome_day_bounds, utcnow
from lab.events.models import (ACTIVE_STATUSES, Event, Organiser, Pool, Registration,
                               State, Status, event_groups)
from lab.extensions import db

PAGE_SIZE = 20


@dataclass
class Filters:
    kind: str | None = None
    region_id: int | None = None
    group_id: int | None = None
    month: date | None = None  # any day of the month
    past: bool = False


def is_organiser_of(person: User, event: Event) -> bool:
    """A current forum organiser named on the event."""
    return bool(person.is_authenticated and person.is_organiser and any(
        organiser.user_id == person.id for organiser in event.organisers))


def can_manage(person: User, event: Event) -> bool:
    """The event's organisers and platform admins manage it."""
    return bool(person.is_authenticated and (person.is_platform_admin or is_organiser_of(person, event)))


def event_for(viewer: User, event_id: int) -> Event:
    """Return the event if the viewer may see it: drafts only to those who manage them."""
    return visible_to(viewer, db.session.get(Event, event_id))


def visible_to(viewer: User, event: Event | None) -> Event:
    """Return the event read for the viewer, unless it is unknown or a draft they do not manage."""
    if event is None or not (event.is_public or can_manage(viewer, event)):
        raise NotFound(_("Evento non trovato."))
    return event


def event_managed_by(viewer: User, event_id: int) -> Event:
    """Return the event if the viewer manages it; refuse others (drafts stay unknown to them)."""
    event = event_for(viewer, event_id)
    if not can_manage(viewer, event):
        raise NotPermitted(_("Solo gli organizzatori dell'evento possono farlo."))
    return event


def public_events(filters: Filters, page: int = 1) -> tuple[list[Event], bool]:
    """Return one page of public events matching the filters, and whether more follow.

    Upcoming events come soonest first; past ones, most recent first.
    """
    now = utcnow()
    query = select(Event).where(Event.state != State.DRAFT.value)
    if filters.past:
        query = query.where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        query = query.where(Event.ends_at > now).order_by(Event.starts_at, Event.id)
    if filters.kind:
        query = query.where(Event.kind == filters.kind)
    if filters.region_id:
        query = query.where(Event.region_id == filters.region_id)
    if filters.group_id:
        query = query.where(Event.id.in_(select(event_groups.c.event_id).where(
            event_groups.c.group_id == filters.group_id)))
    if filters.month:
        first = filters.month.replace(day=1)
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        start, end = rome_day_bounds(first)[0], rome_day_bounds(following)[0]
        query = query.where(Event.starts_at < end, Event.ends_at > start)
    rows = list(db.session.scalars(query.options(selectinload(Event.region))
                                   .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def upcoming_events(limit: int = 3) -> list[Event]:
    """The next published events, for the home page."""
    return list(db.session.scalars(
        select(Event).where(Event.state == State.PUBLISHED.value, Event.ends_at > utcnow())
        .order_by(Event.starts_at, Event.id).limit(limit)))


def next_change(now: datetime) -> datetime | None:
    """The next moment after ``now`` when an event that is not a draft starts or ends, or opens
    or closes its registrations: what pages show of events changes then with no write."""
    columns = (Event.starts_at, Event.ends_at, Event.registration_opens_at,
               Event.registration_closes_at)
    moments = db.session.execute(select(*(func.min(case((column > now, column)))
                                          for column in columns))
                                 .where(Event.state != State.DRAFT.value)).one()
    return min((moment for moment in moments if moment is not None), default=None)


def all_public_events() -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.state != State.DRAFT.value).order_by(Event.starts_at, Event.id)))


def registration_of(person: User, event: Event) -> Registration | None:
    """The person's seat or waiting place at the event, if any."""
    if not person.is_authenticated:
        return None
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == person.id,
        Registration.status.in_(ACTIVE_STATUSES)))


def seat_counts(event_id: int) -> tuple[int, dict[int, int]]:
    """Seats taken at the event: in the general pool, and per region among reserved seats."""
    general, regional = 0, {}
    for pool, region_id, count in db.session.execute(
            select(Registration.pool, Registration.region_id, func.count())
            .where(Registration.event_id == event_id,
                   Registration.status == Status.REGISTERED.value)
            .group_by(Registration.pool, Registration.region_id)):
        if pool == Pool.REGION:
            regional[region_id] = count
        else:
            general += count
    return general, regional


def registrations(event: Event, status: Status) -> list[Registration]:
    """The event's registrations with that status, in arrival order."""
    return list(db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.status == status.value)
        .options(selectinload(Registration.user), selectinload(Registration.region))
        .order_by(Registration.id)))


@dataclass
class RegionRow:
    region: Region
    reserved: int
    used: int  # people of the region holding a seat, reserved or general
    waiting: int


def region_table(event: Event) -> list[RegionRow]:
    """Per member region: seats reserved, people registered and people waiting."""
    reserved = {quota.region_id: quota.seats for quota in event.quotas}
    counts = {(region_id, status): count for region_id, status, count in db.session.execute(
        select(Registration.region_id, Registration.status, func.count())
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Registration.region_id, Registration.status))}
    rows = []
    for region in db.session.scalars(select(Region).order_by(Region.name_it)):
        row = RegionRow(region, reserved.get(region.id, 0),
                        counts.get((region.id, Status.REGISTERED.value), 0),
                        counts.get((region.id, Status.WAITING.value), 0))
        if row.reserved or row.used or row.waiting:
            rows.append(row)
    return rows


def registration_in(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        raise NotFound(_("Iscrizione non trovata."))
    return registration


def possible_co_organisers(event: Event) -> list[User]:
    """Forum organisers not yet named on the event."""
    named = {organiser.user_id for organiser in event.organisers}
    return [person for person in db.session.scalars(select(User).order_by(User.full_name))
            if person.is_organiser and person.id not in named]


def region_delegates(actor: User, event: Event) -> list[User]:
    """Delegates of the regions the actor administers, not yet registered for the event."""
    region_ids = actor.administered_region_ids() if actor.is_authenticated else set()
    if not region_ids:
        return []
    taken = select(Registration.user_id).where(Registration.event_id == event.id,
                                               Registration.status.in_(ACTIVE_STATUSES))
    people = db.session.scalars(select(User).where(User.region_id.in_(region_ids),
                                                   User.id.not_in(taken)).order_by(User.full_name))
    return [person for person in people if person.is_delegate]


def events_organised_by(person: User) -> list[Event]:
    return list(db.session.scalars(
        select(Event).join(Organiser).where(Organiser.user_id == person.id)
        .order_by(Event.starts_at.desc())))


def is_open_for_registration(event: Event) -> bool:
    now = utcnow()
    return (event.state == State.PUBLISHED and not event.is_past
            and (event.registration_opens_at is None or event.registration_opens_at <= now)
            and (event.registration_closes_at is None or now < event.registration_closes_at))


def quota_total(event: Event) -> int:
    return sum(quota.seats for quota in event.quotas)




def months_around(today: date, span: int = 12) -> list[date]:
    """The first days of the ``span`` months before and after this one, for the month filter."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - span, index + span + 1)]
