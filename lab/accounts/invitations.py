"""Invitations: platform admins invite region admins and organisers, region admins delegates."""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lab.accounts.models import Invitation, Region, Role, RoleAssignment, User
from lab.accounts.passwords import check_password_strength, hash_password
from lab.accounts.services import (
    can_manage_region, check_can_grant, check_role_region, grantable_roles, normalise_email,
    user_by_email,
)
from lab.accounts.audit import record
from lab.core.errors import DomainError, NotFound, NotPermitted
from lab.core.links import external_url
from lab.core.mail import send_mail
from lab.core.timeutil import utcnow
from lab.extensions import db


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitations_visible_to(actor: User) -> list[Invitation]:
    query = select(Invitation).order_by(Invitation.created_at.desc())
    if not actor.is_platform_admin:
        query = query.where(Invitation.region_id.in_(actor.administered_region_ids()))
    return list(db.session.scalars(query))


def invitation_for(actor: User, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound(_("Invito non trovato."))
    if not can_manage_region(actor, invitation.region_id):
        raise NotPermitted(_("Non puoi gestire questo invito."))
    return invitation


def invitable_roles(actor: User) -> list[Role]:
    """Return the roles the actor may invite someone to: any they may grant but platform admin."""
    return [role for role in grantable_roles(actor) if role != Role.PLATFORM_ADMIN]


def invite(actor: User, email: str, role: Role, region: Region | None) -> Invitation:
    """Create an invitation and queue its email."""
    email = normalise_email(email)
    region_id = region.id if region else None
    check_can_grant(actor, role, region_id)
    if role not in invitable_roles(actor):
        raise NotPermitted(_("Gli amministratori della piattaforma si creano da riga di comando."))
    check_role_region(role, region_id)
    if user_by_email(email):
        raise DomainError(_("Esiste già un account con questo indirizzo: assegna il ruolo "
                            "dalla sua scheda."))
    if any(i.status == "pending" for i in db.session.scalars(
            select(Invitation).where(Invitation.email == email))):
        raise DomainError(_("C'è già un invito in attesa per questo indirizzo: puoi reinviarlo."))
    invitation = Invitation(email=email, role=role.value, region_id=region_id,
                            invited_by_id=actor.id, token_hash="", expires_at=utcnow(), send_count=0)
    token = _renew_token(invitation)
    db.session.add(invitation)
    record("invitation.sent", actor=actor, region_id=region_id, email=email, role=role.value)
    _deliver(invitation, token)
    db.session.commit()
    return invitation


def resend(actor: User, invitation: Invitation) -> None:
    """Send a fresh link (the old one stops working) valid for another seven days."""
    check_can_grant(actor, Role(invitation.role), invitation.region_id)
    if invitation.status in ("accepted", "revoked"):
        raise DomainError(_("Questo invito non può più essere reinviato."))
    token = _renew_token(invitation)
    record("invitation.resent", actor=actor, region_id=invitation.region_id,
           email=invitation.email, role=invitation.role)
    _deliver(invitation, token)
    db.session.commit()


def revoke(actor: User, invitation: Invitation) -> None:
    """Withdraw a pending invitation so its link no longer works."""
    check_can_grant(actor, Role(invitation.role), invitation.region_id)
    if invitation.status != "pending" and invitation.status != "expired":
        raise DomainError(_("Questo invito non può più essere revocato."))
    invitation.revoked_at = utcnow()
    invitation.revoked_by_id = actor.id
    record("invitation.revoked", actor=actor, region_id=invitation.region_id,
           email=invitation.email, role=invitation.role)
    db.session.commit()


def _renew_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(token)
    invitation.expires_at = utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"])
    invitation.send_count += 1
    invitation.last_sent_at = utcnow()
    return token


def _deliver(invitation: Invitation, token: str) -> None:
    """Queue the link's email in Italian, the platform's first language."""
    link = external_url("accounts.accept_invitation", token=token)
    region = invitation.region.name_it if invitation.region else ""
    with force_locale("it"):
        subject = _("Invito al Laboratorio interregionale per l'innovazione sociale")
        body = _(
            "Buongiorno,\n\nsei stato invitato a partecipare al Laboratorio interregionale per "
            "l'innovazione sociale con il ruolo di %(role)s %(region)s.\n\nPer creare il tuo "
            "account apri questo collegamento entro 7 giorni:\n\n%(link)s\n\nIl collegamento "
            "vale una sola volta e solo per questo indirizzo email.\n",
            role=role_label(invitation.role), region=region, link=link)
    send_mail(invitation.email, subject, body)


def role_label(role: str) -> str:
    return {
        Role.PLATFORM_ADMIN: _("amministratore della piattaforma"),
        Role.REGION_ADMIN: _("amministratore regionale"),
        Role.DELEGATE: _("delegato regionale"),
        Role.ORGANISER: _("organizzatore di forum"),
        Role.EDITORIAL_BOARD: _("membro del comitato editoriale della biblioteca"),
    }[Role(role)]


class InvitationClosed(DomainError):
    """The link's invitation can no longer be accepted: it was used, revoked or has expired."""

    STATES = ("accepted", "revoked", "expired")

    def __init__(self, state: str):
        titles = {"accepted": _("Invito già usato"), "revoked": _("Invito revocato"),
                  "expired": _("Invito scaduto")}
        messages = {
            "accepted": _("Questo invito è già stato usato: accedi con la tua password."),
            "revoked": _("Questo invito è stato revocato."),
            "expired": _("Questo invito è scaduto: chiedi a chi ti ha invitato di reinviarlo."),
        }
        super().__init__(messages[state])
        self.state = state
        self.title = titles[state]


def pending_invitation(token: str) -> Invitation:
    """Return the invitation a link points to, if it can still be accepted."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))
    if invitation is None:
        raise NotFound(_("Questo invito non esiste o è stato sostituito da uno più recente."))
    if invitation.status in InvitationClosed.STATES:
        raise InvitationClosed(invitation.status)
    return invitation


def accept_invitation(token: str, full_name: str, password: str) -> User:
    """Create the invitee's account with the preset region and role."""
    invitation = pending_invitation(token)
    full_name = (full_name or "").strip()
    if not full_name:
        raise DomainError(_("Indica nome e cognome."))
    if user_by_email(invitation.email):
        raise DomainError(_("Esiste già un account con questo indirizzo."))
    check_password_strength(password, invitation.email, full_name)
    user = User(email=invitation.email, full_name=full_name, password_hash=hash_password(password),
                region_id=invitation.region_id)
    db.session.add(user)
    db.session.flush()
    db.session.add(RoleAssignment(user=user, role=invitation.role, region_id=invitation.region_id,
                                  granted_by_id=invitation.invited_by_id))
    invitation.accepted_at = utcnow()
    invitation.accepted_user_id = user.id
    record("invitation.accepted", actor=user, subject=user, region_id=invitation.region_id,
           role=invitation.role)
    db.session.commit()
    return user
