"""Creating groups, appointing coordinators, joining, accepting, leaving and removing members."""
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lab.accounts.audit import record
from lab.accounts.models import User
from lab.core.errors import Conflict, DomainError, NotFound, NotPermitted
from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.groups.models import Coordination, Group, Membership, MembershipStatus as Status
from lab.groups.queries import (
    can_manage, coordinators, current_coordination, open_membership, platform_admin_names,
)
from lab.groups.signals import (
    coordinator_appointed, join_requested, participation_ended, request_decided,
)


@dataclass
class GroupDraft:
    name_it: str
    name_en: str
    description_it: str = ""
    description_en: str = ""
    is_open: bool = False


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "gruppo"


def _commit(conflict_message: str) -> None:
    """Commit, turning a unique-constraint race into a message the user can read."""
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(conflict_message) from error


# --- groups and coordinators (platform admins) ------------------------------------------------

def create_group(actor: User, draft: GroupDraft) -> Group:
    """Add a working group to the Laboratory."""
    if not actor.is_platform_admin:
        raise NotPermitted(_("Solo gli amministratori della piattaforma possono creare gruppi."))
    if not draft.name_it.strip() or not draft.name_en.strip():
        raise DomainError(_("Indica il nome del gruppo in italiano e in inglese."))
    slug = slugify(draft.name_it)
    if db.session.scalar(select(Group.id).where(Group.slug == slug)):
        raise Conflict(_("Esiste già un gruppo con questo nome."))
    group = Group(slug=slug, name_it=draft.name_it.strip(), name_en=draft.name_en.strip(),
                  description_it=draft.description_it.strip(),
                  description_en=draft.description_en.strip(), is_open=draft.is_open,
                  created_by_id=actor.id)
    db.session.add(group)
    record("group.created", actor=actor, group=slug)
    _commit(_("Esiste già un gruppo con questo nome."))
    return group


def set_open(actor: User, group: Group, is_open: bool) -> None:
    """Let delegates join without a decision, or require one again."""
    if not can_manage(actor, group):
        raise NotPermitted(_("Solo i coordinatori del gruppo possono cambiare questa impostazione."))
    group.is_open = is_open
    record("group.opened" if is_open else "group.closed", actor=actor, group=group.slug)
    db.session.commit()


def appoint_coordinator(actor: User, group: Group, person: User) -> Coordination:
    """Make a delegate a coordinator of the group, and a member if they were not one."""
    if not actor.is_platform_admin:
        raise NotPermitted(_("Solo gli amministratori della piattaforma nominano i coordinatori."))
    if not person.is_delegate:
        raise DomainError(_("Solo un delegato regionale può coordinare un gruppo."))
    if current_coordination(person, group):
        raise Conflict(_("La persona coordina già questo gruppo."))
    coordination = Coordination(group=group, user=person, appointed_by_id=actor.id)
    db.session.add(coordination)
    membership = open_membership(person, group)
    if membership is None:
        db.session.add(_active_membership(group, person, actor))
    elif membership.is_pending:
        _activate(membership, actor)
    record("group.coordinator_appointed", actor=actor, subject=person,
           region_id=person.region_id, group=group.slug)
    _commit(_("La persona coordina già questo gruppo."))
    coordinator_appointed.send(group, coordination=coordination)
    return coordination


def end_coordination(actor: User, coordination: Coordination) -> None:
    """End a coordinator's appointment; they stay a member."""
    if not actor.is_platform_admin:
        raise NotPermitted(_("Solo gli amministratori della piattaforma nominano i coordinatori."))
    if not coordination.is_current:
        raise DomainError(_("Questo incarico di coordinamento è già terminato."))
    coordination.ended_at = utcnow()
    coordination.ended_by_id = actor.id
    record("group.coordinator_ended", actor=actor, subject=coordination.user,
           region_id=coordination.user.region_id, group=coordination.group.slug)
    db.session.commit()


# --- membership -------------------------------------------------------------------------------

def ask_to_join(person: User, group: Group) -> Membership:
    """Ask to join a group; in an open group the person becomes a member at once."""
    if not person.is_delegate:
        raise NotPermitted(_("Solo i delegati regionali possono partecipare ai gruppi."))
    existing = open_membership(person, group)
    if existing is not None:
        raise Conflict(_("Fai già parte di questo gruppo.") if existing.is_active
                       else _("La tua richiesta è già in attesa di una decisione."))
    if not group.is_open and not coordinators(group):
        raise DomainError(no_coordinator_message())
    if group.is_open:
        membership = _active_membership(group, person, None)
    else:
        membership = Membership(group=group, user=person, region_id=person.region_id,
                                status=Status.REQUESTED.value)
    db.session.add(membership)
    record("group.member_joined" if group.is_open else "group.join_requested", actor=person,
           subject=person, region_id=person.region_id, group=group.slug)
    _commit(_("La tua richiesta è già stata registrata."))
    if membership.is_pending:
        join_requested.send(group, membership=membership)
    return membership


def no_coordinator_message() -> str:
    """Say why a closed group without coordinators takes no requests, and who can fix it."""
    return _("Il gruppo non ha ancora un coordinatore che possa accogliere la richiesta. I "
             "coordinatori sono nominati dagli amministratori della piattaforma: %(names)s.",
             names=", ".join(platform_admin_names()) or "–")


def accept_request(actor: User, membership: Membership) -> None:
    """Accept a delegate's request to join."""
    _check_decision(actor, membership)
    _activate(membership, actor)
    record("group.member_accepted", actor=actor, subject=membership.user,
           region_id=membership.region_id, group=membership.group.slug)
    db.session.commit()
    request_decided.send(membership.group, membership=membership, reason="")


def decline_request(actor: User, membership: Membership, reason: str = "") -> None:
    """Decline a delegate's request to join, with an optional reason the requester will see."""
    _check_decision(actor, membership)
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise DomainError(_("Il motivo può avere al massimo 500 caratteri."))
    membership.status = Status.DECLINED.value
    membership.decided_at = utcnow()
    membership.decided_by_id = actor.id
    membership.decision_note = reason or None
    record("group.request_declined", actor=actor, subject=membership.user,
           region_id=membership.region_id, group=membership.group.slug)
    db.session.commit()
    request_decided.send(membership.group, membership=membership, reason=reason)


def leave_group(person: User, group: Group) -> None:
    """Leave a group, or withdraw a pending request; a coordinator also stops coordinating."""
    membership = open_membership(person, group)
    if membership is None:
        raise DomainError(_("Non fai parte di questo gruppo."))
    now = utcnow()
    if membership.is_pending:
        membership.status, membership.decided_at = Status.WITHDRAWN.value, now
    else:
        membership.status, membership.ended_at, membership.ended_by_id = Status.LEFT.value, now, person.id
    coordination = current_coordination(person, group)
    if coordination is not None:
        coordination.ended_at, coordination.ended_by_id = now, person.id
    action = "group.request_withdrawn" if membership.status == Status.WITHDRAWN else "group.member_left"
    record(action, actor=person, subject=person, region_id=membership.region_id, group=group.slug)
    db.session.commit()
    participation_ended.send(group, user=person)


def remove_member(actor: User, membership: Membership) -> None:
    """Remove a member from the group; coordinators are removed by ending their appointment first."""
    group = membership.group
    if not can_manage(actor, group):
        raise NotPermitted(_("Solo i coordinatori del gruppo possono rimuovere i membri."))
    if not membership.is_active:
        raise DomainError(_("Questa persona non è un membro del gruppo."))
    if current_coordination(membership.user, group):
        raise DomainError(_("Prima di rimuovere un coordinatore, termina il suo incarico."))
    membership.status = Status.REMOVED.value
    membership.ended_at = utcnow()
    membership.ended_by_id = actor.id
    record("group.member_removed", actor=actor, subject=membership.user,
           region_id=membership.region_id, group=group.slug)
    db.session.commit()
    participation_ended.send(group, user=membership.user)


def membership_in(group: Group, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.group_id != group.id:
        raise NotFound(_("Richiesta o iscrizione non trovata."))
    return membership


def coordination_in(group: Group, coordination_id: int) -> Coordination:
    coordination = db.session.get(Coordination, coordination_id)
    if coordination is None or coordination.group_id != group.id:
        raise NotFound(_("Incarico di coordinamento non trovato."))
    return coordination


def _check_decision(actor: User, membership: Membership) -> None:
    if not can_manage(actor, membership.group):
        raise NotPermitted(_("Solo i coordinatori del gruppo decidono sulle richieste."))
    if not membership.is_pending:
        raise DomainError(_("Questa richiesta non è più in attesa."))


def _active_membership(group: Group, person: User, actor: User | None) -> Membership:
    now = utcnow()
    return Membership(group=group, user=person, region_id=person.region_id,
                      status=Status.ACTIVE.value, requested_at=now, started_at=now,
                      decided_at=now, decided_by_id=getattr(actor, "id", None))


def _activate(membership: Membership, actor: User) -> None:
    now = utcnow()
    membership.status = Status.ACTIVE.value
    membership.decided_at = membership.started_at = now
    membership.decided_by_id = actor.id
