"""Offboarding: deactivating and reactivating a person, their data on request, and erasure."""
import secrets

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update

from lab.accounts import services, sessions
from lab.accounts.audit import AuditEntry, record
from lab.accounts.models import Invitation, RecoveryCode, Role, TwoFactor, User, UserSession
from lab.accounts.passwords import hash_password
from lab.accounts.signals import access_changed, personal_data_requested
from lab.core.errors import DomainError, NotPermitted
from lab.core.timeutil import rome_today, utcnow
from lab.extensions import db


def check_can_offboard(actor: User, person: User) -> None:
    """Platform admins offboard anyone else; region admins the people of their region whose
    every role they could end themselves."""
    if person.id == actor.id:
        raise DomainError(_("Non puoi disattivare o cancellare il tuo stesso account."))
    if not services.can_manage_region(actor, person.region_id):
        raise NotPermitted(_("Non puoi gestire questa persona."))
    for assignment in person.active_roles():
        services.check_can_grant(actor, Role(assignment.role), assignment.region_id)


def deactivate(actor: User, person: User) -> None:
    """Refuse the person sign-in from now on, end their sessions, roles and mandates today."""
    check_can_offboard(actor, person)
    if not person.active:
        raise DomainError(_("La persona è già disattivata."))
    for assignment in person.active_roles():
        services.end_role(actor, assignment)  # ends the mandates resting on a delegate role too
    today = rome_today()
    for mandate in person.mandates:
        if mandate.open_on(today):  # in force, awaiting confirmation, or starting later
            services.end_mandate(actor, mandate)
    person.active = False
    ended = sessions.revoke_sessions(person)
    record("person.deactivated", actor=actor, subject=person, region_id=person.region_id)
    db.session.commit()
    access_changed.send(person, ended_sessions=ended)


def reactivate(actor: User, person: User) -> None:
    """Let a deactivated person sign in again; their roles are granted anew, one by one."""
    check_can_offboard(actor, person)
    if person.active:
        raise DomainError(_("La persona è già attiva."))
    if person.erased_at is not None:
        raise DomainError(
            _("I dati di questa persona sono stati cancellati: non si può riattivare."))
    person.active = True
    record("person.reactivated", actor=actor, subject=person, region_id=person.region_id)
    db.session.commit()


def erase(actor: User, person: User) -> None:
    """Replace a deactivated person's personal data with a pseudonym (platform admins only).

    The Pact register and the audit log keep what they recorded: the law asks for both.
    """
    if not actor.is_platform_admin:
        raise NotPermitted(_("Solo gli amministratori della piattaforma cancellano i dati."))
    check_can_offboard(actor, person)
    if person.active or person.erased_at is not None:
        raise DomainError(_("Si cancellano solo i dati di una persona disattivata, una volta."))
    pseudonym_email = f"cancellato-{person.id}@laboratorio.invalid"
    db.session.execute(update(Invitation).where(
        or_(Invitation.accepted_user_id == person.id, Invitation.email == person.email))
        .values(email=pseudonym_email))
    db.session.execute(delete(UserSession).where(UserSession.user_id == person.id))
    db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == person.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == person.id))
    person.full_name = _pseudonym(person)
    person.email = pseudonym_email
    person.password_hash = hash_password(secrets.token_urlsafe(32))
    person.locale = None
    person.last_sign_in_at = None
    person.erased_at = utcnow()
    record("person.erased", actor=actor, subject=person, region_id=person.region_id)
    db.session.commit()


def _pseudonym(person: User) -> str:
    return f"Persona {person.id}"


def export_personal_data(person: User) -> dict:
    """Return, as JSON-ready data, what the platform holds about a person."""
    data = {
        "exported_at": _iso(utcnow()),
        "person": {"id": person.id, "email": person.email, "full_name": person.full_name,
                   "region": person.region.name_it if person.region else None,
                   "locale": person.locale, "active": person.active,
                   "created_at": _iso(person.created_at),
                   "last_sign_in_at": _iso(person.last_sign_in_at)},
        "roles": [{"role": a.role, "region": a.region.name_it if a.region else None,
                   "started_at": _iso(a.started_at), "ended_at": _iso(a.ended_at)}
                  for a in person.role_assignments],
        "mandates": [{"region": m.region.name_it, "act": m.act, "starts_on": _iso(m.starts_on),
                      "ends_on": _iso(m.ends_on)} for m in person.mandates],
        "sessions": [{"created_at": _iso(s.created_at), "last_seen_at": _iso(s.last_seen_at),
                      "user_agent": s.user_agent, "address": s.address,
                      "ended_at": _iso(s.revoked_at)} for s in db.session.scalars(
                          select(UserSession).where(UserSession.user_id == person.id)
                          .order_by(UserSession.id))],
        "activity": [{"at": _iso(e.at), "action": e.action, "address": e.address,
                      "details": e.details} for e in db.session.scalars(
                          select(AuditEntry).where(or_(AuditEntry.actor_id == person.id,
                                                       AuditEntry.subject_id == person.id))
                          .order_by(AuditEntry.id))],
    }
    for _receiver, section in personal_data_requested.send(person):
        data.update(section)
    return data


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
