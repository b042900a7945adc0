"""Coordinators keeping a room civil: muting a member for a time, and lifting it."""
from datetime import timedelta

from flask_babel import force_locale, gettext as _
from sqlalchemy import func, select

from lab.accounts.audit import record
from lab.accounts.models import User
from lab.core.errors import DomainError, NotFound, NotPermitted
from lab.core.timeutil import format_moment, utcnow
from lab.extensions import db
from lab.rooms import events
from lab.rooms.models import Mute, Room
from lab.rooms.serialize import iso
from lab.rooms.services import can_moderate, can_read

MAX_MUTE_MINUTES = 7 * 24 * 60


def mute_end(user_id, room_id):
    """When a person's longest current mute in a room ends, as SQL (NULL if not muted);
    ``user_id`` and ``room_id`` may be values or columns of the statement it is part of."""
    return select(func.max(Mute.until)).where(
        Mute.room_id == room_id, Mute.user_id == user_id, Mute.lifted_at.is_(None),
        Mute.until > utcnow()).scalar_subquery()


def active_mutes(room: Room) -> list[Mute]:
    return list(db.session.scalars(select(Mute).where(
        Mute.room_id == room.id, Mute.lifted_at.is_(None), Mute.until > utcnow())
        .order_by(Mute.until)))


def mute_member(actor: User, room: Room, person: User, minutes: int) -> Mute:
    """Keep a member from writing in the room for some minutes."""
    if not can_moderate(actor, room):
        raise NotPermitted(_("Solo i coordinatori possono silenziare i membri."))
    if person.id == actor.id or not can_read(person, room):
        raise DomainError(_("Puoi silenziare solo un altro membro della stanza."))
    if not 1 <= minutes <= MAX_MUTE_MINUTES:
        raise DomainError(_("Indica una durata tra 1 minuto e 7 giorni."))
    now = utcnow()
    mute = Mute(room_id=room.id, user_id=person.id, muted_by_id=actor.id, created_at=now,
                until=now + timedelta(minutes=minutes))
    db.session.add(mute)
    record("room.member_muted", actor=actor, subject=person, region_id=person.region_id,
           room=room.id, minutes=minutes)
    db.session.commit()
    with force_locale(person.locale or "it"):  # the muted person reads it, not the coordinator
        notice = _("Un coordinatore ti ha silenziato in questa stanza fino al %(time)s.",
                   time=format_moment(mute.until))
    events.member_muted(room.id, person.id, iso(mute.until), notice)
    return mute


def lift_mute(actor: User, room: Room, mute_id: int) -> None:
    """Let a muted member write again before the time ends."""
    mute = db.session.get(Mute, mute_id)
    if mute is None or mute.room_id != room.id:
        raise NotFound(_("Silenziamento non trovato."))
    if not can_moderate(actor, room):
        raise NotPermitted(_("Solo i coordinatori possono silenziare i membri."))
    if mute.lifted_at is not None or mute.until <= utcnow():
        raise DomainError(_("Questo silenziamento è già terminato."))
    mute.lifted_at, mute.lifted_by_id = utcnow(), actor.id
    record("room.mute_lifted", actor=actor, subject=mute.user, region_id=mute.user.region_id,
           room=room.id)
    db.session.commit()
    with force_locale(mute.user.locale or "it"):
        notice = _("Puoi di nuovo scrivere in questa stanza.")
    events.member_muted(room.id, mute.user_id, None, notice)
