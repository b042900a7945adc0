"""People, roles and signatory mandates: who may do what, and who did it when."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from lab.accounts import uploads
from lab.accounts.models import REGIONAL_ROLES, Mandate, Region, Role, RoleAssignment, User
from lab.accounts.audit import record
from lab.accounts.signals import access_changed
from lab.core.errors import DomainError, NotFound, NotPermitted
from lab.core.timeutil import rome_day_bounds, rome_today, utcnow
from lab.extensions import db


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.name_it)))


def region_by_slug(slug: str) -> Region:
    region = db.session.scalar(select(Region).where(Region.slug == slug))
    if region is None:
        raise NotFound(_("Regione non trovata."))
    return region


def region_by_id(region_id: int) -> Region:
    region = db.session.get(Region, region_id)
    if region is None:
        raise NotFound(_("Regione non trovata."))
    return region


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def set_locale(user: User, locale: str) -> None:
    """Remember the person's interface language."""
    user.locale = locale
    db.session.commit()


# --- who may manage whom -------------------------------------------------------------------

def can_manage_region(actor: User, region_id: int | None) -> bool:
    return actor.is_platform_admin or (
        region_id is not None and region_id in actor.administered_region_ids()
    )


def grantable_roles(actor: User, person: User | None = None) -> list[Role]:
    """Return the roles the actor may give (to ``person``): the one rule forms and checks share.

    Platform admins give any role, region admins only the delegate role, nobody to themselves.
    """
    if person is not None and person.id == actor.id:
        return []
    if actor.is_platform_admin:
        return list(Role)
    return [Role.DELEGATE] if actor.administered_region_ids() else []


def check_can_grant(actor: User, role: Role, region_id: int | None,
                    person: User | None = None) -> None:
    """Refuse a role the actor may not give, in a region not theirs, or to themselves."""
    if person is not None and person.id == actor.id:
        raise NotPermitted(_("Nessuno può assegnare un ruolo a se stesso."))
    if role not in grantable_roles(actor):
        raise NotPermitted(_("Non puoi assegnare questo ruolo."))
    if not can_manage_region(actor, region_id):
        raise NotPermitted(_("Puoi assegnare ruoli solo nella regione che amministri."))


def check_role_region(role: Role, region_id: int | None) -> None:
    if (role in REGIONAL_ROLES) != (region_id is not None):
        raise DomainError(
            _("Il ruolo di delegato e di amministratore regionale richiede una regione; "
              "gli altri ruoli no.")
        )


def people_visible_to(actor: User) -> list[User]:
    """List the people an admin manages: everyone for platform admins, their region otherwise."""
    query = select(User).options(selectinload(User.role_assignments)).order_by(User.full_name)
    if not actor.is_platform_admin:
        regions = actor.administered_region_ids()
        if not regions:
            raise NotPermitted(_("Non hai i permessi per gestire le persone."))
        query = query.where(User.region_id.in_(regions))
    return list(db.session.scalars(query))


def person_for(actor: User, user_id: int) -> User:
    """Return a person the actor may manage, or refuse."""
    person = db.session.get(User, user_id)
    if person is None:
        raise NotFound(_("Persona non trovata."))
    if not can_manage_region(actor, person.region_id):
        raise NotPermitted(_("Non puoi gestire questa persona."))
    return person


# --- roles ---------------------------------------------------------------------------------

def grant_role(actor: User | None, person: User, role: Role, region: Region | None = None,
               started_at=None) -> RoleAssignment:
    """Give a person a role (``actor`` None only for set-up commands)."""
    region_id = region.id if region else None
    if actor is not None:
        check_can_grant(actor, role, region_id, person)
    check_role_region(role, region_id)
    if person.has_role(role, region_id):
        raise DomainError(_("La persona ha già questo ruolo."))
    if region_id is not None:
        if person.region_id not in (None, region_id):
            raise DomainError(_("Una persona può appartenere a una sola regione."))
        person.region_id = region_id
    assignment = RoleAssignment(user=person, role=role.value, region_id=region_id,
                                granted_by_id=getattr(actor, "id", None),
                                started_at=started_at or utcnow())
    db.session.add(assignment)
    record("role.granted", actor=actor, subject=person, region_id=region_id, role=role.value)
    db.session.commit()
    return assignment


def end_role(actor: User, assignment: RoleAssignment) -> None:
    """End a role now; the assignment stays in the history."""
    check_can_grant(actor, Role(assignment.role), assignment.region_id)
    if not assignment.is_active:
        raise DomainError(_("Questo ruolo è già terminato."))
    if assignment.user_id == actor.id and assignment.role == Role.PLATFORM_ADMIN:
        raise DomainError(_("Non puoi revocare a te stesso il ruolo di amministratore."))
    assignment.ended_at = utcnow()
    assignment.ended_by_id = actor.id
    if assignment.role == Role.DELEGATE:
        _end_mandates_with_role(actor, assignment)
    record("role.ended", actor=actor, subject=assignment.user, region_id=assignment.region_id,
           role=assignment.role)
    db.session.commit()
    access_changed.send(assignment.user)


def _end_mandates_with_role(actor: User, assignment: RoleAssignment) -> None:
    """A mandate cannot outlive the delegate role it rests on, nor start after it ended."""
    today = rome_today()
    for mandate in assignment.user.mandates:
        if mandate.region_id == assignment.region_id and mandate.open_on(today):
            _close_mandate(actor, mandate, today, reason="role ended")


# --- signatory mandates --------------------------------------------------------------------

@dataclass
class MandateRequest:
    act: str
    starts_on: date
    ends_on: date | None = None
    pdf: bytes | None = None  # the act's PDF, already checked by ``uploads.read_pdf``


def grant_mandate(actor: User | None, delegate: User, request: MandateRequest) -> Mandate:
    """Confer signatory authority on a current delegate; a region admin's grant awaits confirmation.

    ``actor`` None only for set-up commands. The act's PDF is stored last, once everything else
    is accepted, so a refused grant leaves no file behind.
    """
    region_id = delegate.region_id
    if actor is not None:
        _check_can_grant_mandate(actor, delegate)
    if region_id is None or not delegate.has_role(Role.DELEGATE, region_id):
        raise DomainError(_("I poteri di firma si conferiscono solo a un delegato della regione."))
    if not request.act.strip():
        raise DomainError(_("Indica l'atto che conferisce i poteri di firma."))
    if request.ends_on and request.ends_on < request.starts_on:
        raise DomainError(_("La data di fine non può precedere quella di inizio."))
    confirmed = actor is None or actor.is_platform_admin
    mandate = Mandate(user=delegate, region_id=region_id, act=request.act.strip(),
                      starts_on=request.starts_on, ends_on=request.ends_on,
                      granted_by_id=getattr(actor, "id", None),
                      confirmed_by_id=getattr(actor, "id", None) if confirmed else None,
                      confirmed_at=utcnow() if confirmed else None)
    db.session.add(mandate)
    record("mandate.granted", actor=actor, subject=delegate, region_id=region_id,
           act=mandate.act, starts_on=request.starts_on, ends_on=request.ends_on or "",
           confirmed=confirmed)
    _audit_backdating(actor, mandate)
    with uploads.stored_pdf(request.pdf) as name:
        mandate.act_pdf = name
        db.session.commit()
    return mandate


def _check_can_grant_mandate(actor: User, delegate: User) -> None:
    if delegate.id == actor.id:
        raise NotPermitted(_("Nessuno può conferire poteri di firma a se stesso."))
    if not can_manage_region(actor, delegate.region_id):
        raise NotPermitted(_("Non puoi conferire poteri di firma per questa regione."))


def _audit_backdating(actor: User | None, mandate: Mandate) -> None:
    """A start before the grant is allowed (acts predate their entry here) but put on record."""
    days = (rome_today() - mandate.starts_on).days
    if days > 0:
        record("mandate.backdated", actor=actor, subject=mandate.user, region_id=mandate.region_id,
               act=mandate.act, starts_on=mandate.starts_on, days=days)


def confirm_mandate(actor: User, mandate: Mandate) -> None:
    """Confirm, as the second person, a mandate a region admin granted, putting it in force."""
    if not mandate.is_pending:
        raise DomainError(_("Questo mandato non è in attesa di conferma."))
    if not mandate.confirmable_by(actor):
        raise NotPermitted(_("Il mandato va confermato da un amministratore della piattaforma o "
                             "da un altro amministratore della regione, non da chi lo ha "
                             "conferito né da chi lo riceve."))
    mandate.confirmed_by_id = actor.id
    mandate.confirmed_at = utcnow()
    record("mandate.confirmed", actor=actor, subject=mandate.user, region_id=mandate.region_id,
           act=mandate.act, granted_by=mandate.granted_by_id)
    db.session.commit()


def mandates_awaiting(actor: User) -> list[Mandate]:
    """Return the pending mandates the actor may confirm, oldest first."""
    query = select(Mandate).where(Mandate.confirmed_at.is_(None), Mandate.ended_at.is_(None))
    if not actor.is_platform_admin:
        query = query.where(Mandate.region_id.in_(actor.administered_region_ids()))
    pending = db.session.scalars(query.order_by(Mandate.granted_at))
    return [mandate for mandate in pending if mandate.confirmable_by(actor)]


def end_mandate(actor: User, mandate: Mandate, ends_on: date | None = None) -> None:
    """End a mandate on a day (today by default); it stays in the history.

    A mandate ended before it starts never takes effect.
    """
    if not can_manage_region(actor, mandate.region_id):
        raise NotPermitted(_("Non puoi modificare i poteri di firma di questa regione."))
    day = ends_on or rome_today()
    if not mandate.open_on(day):
        raise DomainError(_("Questo mandato è già terminato."))
    _close_mandate(actor, mandate, day)
    db.session.commit()
    access_changed.send(mandate.user)


def _close_mandate(actor: User, mandate: Mandate, day: date, **details) -> None:
    mandate.ends_on = day
    mandate.ended_by_id = actor.id
    # Ended today, in the past or before it starts: out of force from now on. A later day is
    # only a new end date, and the mandate stays in force until then.
    if day <= rome_today() or day < mandate.starts_on:
        mandate.ended_at = utcnow()
    record("mandate.ended", actor=actor, subject=mandate.user, region_id=mandate.region_id,
           act=mandate.act, ends_on=day, **details)


def mandate_for(actor: User, mandate_id: int) -> Mandate:
    mandate = db.session.get(Mandate, mandate_id)
    if mandate is None:
        raise NotFound(_("Mandato non trovato."))
    if not (can_manage_region(actor, mandate.region_id) or mandate.user_id == actor.id):
        raise NotPermitted(_("Non puoi consultare questo mandato."))
    return mandate


# --- who represented a region ---------------------------------------------------------------

@dataclass
class Representative:
    person: User
    mandate: Mandate | None

    @property
    def is_signatory(self) -> bool:
        return self.mandate is not None


def representatives_on(region: Region, day: date) -> list[Representative]:
    """Return the region's delegates on a day, each with the signatory mandate then in force."""
    day_start, day_end = rome_day_bounds(day)
    delegates = db.session.scalars(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.region_id == region.id, RoleAssignment.role == Role.DELEGATE.value,
               RoleAssignment.started_at < day_end,
               or_(RoleAssignment.ended_at.is_(None), RoleAssignment.ended_at > day_start))
        .options(selectinload(User.mandates)).order_by(User.full_name).distinct()
    )
    result = []
    for person in delegates:
        mandates = [m for m in person.mandates if m.region_id == region.id and m.in_force_on(day)]
        result.append(Representative(person, mandates[-1] if mandates else None))
    return result
