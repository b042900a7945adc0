"""Taking seats, waiting for one, giving one up, and the promotion that follows.

Every change of seats locks the event's row first (``SELECT ... FOR UPDATE`` on PostgreSQL;
SQLite lets one writer in at a time anyway) and counts the seats under that lock, so two
people never take the last seat and the waiting list keeps the order in which they arrived.
The lock is held from the event's row to the commit: under it go only the row (with its
quotas), one count of the seats and the inserts; questions and answers are read and checked
before it.
"""
from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from lab.accounts.audit import record
from lab.accounts.models import Role, User
from lab.core.errors import Conflict, DomainError, NotPermitted
from lab.core.timeutil import utcnow
from lab.events import mails
from lab.events.models import Event, Pool, Question, Registration, Status
from lab.events.questions import Details, apply_details, check_details, questions_of
from lab.events.queries import can_manage, is_open_for_registration, registrations, seat_counts
from lab.events.services import lock_event
from lab.extensions import db


def free_pool(event: Event, region_id: int | None) -> Pool | None:
    """The pool with a free seat for a person of that region (their reserved seats first)."""
    if event.capacity is None:
        return Pool.GENERAL
    general, regional = seat_counts(event.id)
    reserved = {quota.region_id: quota.seats for quota in event.quotas}
    if region_id in reserved and regional.get(region_id, 0) < reserved[region_id]:
        return Pool.REGION
    if general < event.capacity - sum(reserved.values()):
        return Pool.GENERAL
    return None


def register(actor: User, event: Event, person: User | None = None,
             details: Details | None = None, asked: list[Question] | None = None) -> Registration:
    """Take a seat for oneself, or a region admin for a delegate of their region; else wait.

    People registering themselves answer the organiser's questions (``details``; ``asked``, the
    event's ``questions_of``, if the caller has read them already for its form); a region
    admin registering a delegate cannot answer for them. Everything that can be read or checked
    before the event's lock is, so the lock is held for as few round trips as possible; a second
    registration of the same person is refused by the partial unique index, at the insert.
    """
    person = person or actor
    if person.id != actor.id and not _may_register_for(actor, person):
        raise NotPermitted(_("Puoi iscrivere solo i delegati della tua regione."))
    if asked is None:
        asked = questions_of(event)
    if person.id == actor.id:
        details = check_details(asked, details or Details())
    already = _("%(name)s è già iscritto a questo evento o in lista d'attesa.", name=person.full_name)
    event = lock_event(event)
    check_open(event)
    registration = Registration(event=event, user=person, region_id=person.region_id,
                                registered_by_id=actor.id)
    with refusing_doubles(already):
        take_place(event, registration, actor, details, asked)
    return registration


def check_open(event: Event) -> None:
    """Refuse registrations to a cancelled event or outside its registration dates."""
    if event.is_cancelled:
        raise DomainError(_("L'evento è stato annullato."))
    if not is_open_for_registration(event):
        raise DomainError(_("Le iscrizioni a questo evento non sono aperte."))


def take_place(event: Event, registration: Registration, actor: User | None,
               details: Details | None, asked: list[Question]) -> None:
    """Give a new registration a free seat, else a place on the waiting list, with its details
    (if any); queue its mail.

    The caller holds the event's lock, so the seats counted here are the seats left.
    """
    pool = free_pool(event, registration.region_id)
    registration.status = (Status.REGISTERED if pool else Status.WAITING).value
    registration.pool = pool.value if pool else None
    registration.seated_at = utcnow() if pool else None
    db.session.add(registration)
    if details is not None:
        apply_details(registration, details, asked)
    record("event.registered" if pool else "event.waitlisted", actor=actor,
           subject=registration.user, region_id=registration.region_id, event=event.id)
    mails.notify_registration(registration, "registered" if pool else "waiting")


@contextmanager
def refusing_doubles(message: str):
    """Write and commit a new registration; the partial unique indexes turn a second active
    registration of the same person into ``message``."""
    try:
        yield
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(message) from error


def cancel_registration(actor: User, registration: Registration) -> Registration | None:
    """Give up a seat or a waiting place; the first waiting person who fits takes the seat.

    Return the promoted registration, if any. Promotion happens in the same transaction, so a
    freed seat is never seen empty by anyone else.
    """
    if not _may_cancel(actor, registration):
        raise NotPermitted(_("Non puoi annullare questa iscrizione."))
    return release(registration, actor)


def release(registration: Registration, actor: User | None) -> Registration | None:
    """Cancel the registration and seat the first waiting person who fits, in one transaction.

    ``actor`` is None when a person without an account cancels through their mailed link.
    """
    event = lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status == Status.CANCELLED:
        raise DomainError(_("L'iscrizione è già stata annullata."))
    had_seat = registration.is_registered
    registration.status, registration.pool = Status.CANCELLED.value, None
    registration.cancelled_at = utcnow()
    record("event.registration_cancelled", actor=actor, subject=registration.user,
           region_id=registration.region_id, event=event.id)
    db.session.flush()
    promoted = None
    if had_seat and not event.is_cancelled and not event.is_past:
        promoted = next((waiting for waiting in registrations(event, Status.WAITING)
                         if _seat(event, waiting, actor)), None)
    db.session.commit()
    return promoted


def promote(actor: User, registration: Registration) -> None:
    """Give a waiting person a seat out of turn (an organiser's decision)."""
    if not can_manage(actor, registration.event):
        raise NotPermitted(_("Solo gli organizzatori dell'evento possono farlo."))
    event = lock_event(registration.event)
    db.session.refresh(registration)
    if not registration.is_waiting:
        raise DomainError(_("La persona non è in lista d'attesa."))
    if not _seat(event, registration, actor):
        raise DomainError(_("Non c'è un posto libero per questa persona: aumenta la capienza "
                            "o i posti riservati alla sua regione."))
    db.session.commit()


def _seat(event: Event, registration: Registration, actor: User | None) -> bool:
    """Seat a waiting person if a seat fits them, and tell them (after the commit)."""
    pool = free_pool(event, registration.region_id)
    if pool is None:
        return False
    registration.status, registration.pool = Status.REGISTERED.value, pool.value
    registration.seated_at = utcnow()
    db.session.flush()
    record("event.promoted", actor=actor, subject=registration.user,
           region_id=registration.region_id, event=event.id)
    mails.notify_registration(registration, "promoted")
    return True


def _may_register_for(actor: User, person: User) -> bool:
    return (person.region_id is not None and person.region_id in actor.administered_region_ids()
            and person.has_role(Role.DELEGATE, person.region_id))


def _may_cancel(actor: User, registration: Registration) -> bool:
    return (actor.id == registration.user_id or can_manage(actor, registration.event)
            or registration.region_id in actor.administered_region_ids())


