"""Signing in and out, changing and resetting passwords."""
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from lab.accounts import sessions
from lab.accounts.models import User
from lab.accounts.passwords import check_password_strength, hash_password, verify_password
from lab.accounts.services import user_by_email
from lab.accounts.audit import record
from lab.accounts.signals import access_changed
from lab.core.errors import DomainError
from lab.core.links import external_url
from lab.core.mail import send_mail
from lab.core.timeutil import utcnow
from lab.extensions import db, login_manager


class SignInFailed(DomainError):
    status = 401


class SignIn(NamedTuple):
    """Who a socket connection was opened by, and through which sign-in session."""

    id: int
    session_id: int | None


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """Load the person of a live session; ended, unknown or deactivated sessions load nobody."""
    return sessions.person_for_token(token)


def authenticate(email: str, password: str, address: str | None) -> User:
    """Return the person whose credentials these are, recording the attempt either way."""
    user = user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or not user.active:
        record("sign_in.failed", subject=user, region_id=getattr(user, "region_id", None),
               address=address, email=(email or "")[:254])
        db.session.commit()
        raise SignInFailed(_("Email o password non corretti."))
    user.last_sign_in_at = utcnow()
    record("sign_in.succeeded", actor=user, subject=user, region_id=user.region_id, address=address)
    db.session.commit()
    return user


def sign_out(user: User) -> None:
    """End the session the person is using."""
    sessions.end_session(user, sessions.own_session(user, user.session_id), action="sign_out")


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; other sessions are signed out."""
    if not verify_password(user.password_hash, current):
        raise DomainError(_("La password attuale non è corretta."))
    ended = _set_password(user, new, keep_session=user.session_id)
    record("password.changed", actor=user, subject=user, region_id=user.region_id)
    db.session.commit()
    access_changed.send(user, ended_sessions=ended)


def _set_password(user: User, new: str, keep_session: int | None = None) -> list[int]:
    """Store a new password and end the person's other sessions; return the ended ones."""
    check_password_strength(new, user.email, user.full_name)
    user.password_hash = hash_password(new)
    return sessions.revoke_sessions(user, keep=keep_session)


# --- password reset ---------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(user: User) -> str:
    """Tie a reset token to the current password, so it stops working once used."""
    return user.password_hash[-16:]


def request_password_reset(email: str, address: str | None) -> None:
    """Email a one-hour reset link if the address has an account; say nothing either way."""
    user = user_by_email(email)
    record("password.reset_requested", subject=user, address=address, email=(email or "")[:254],
           region_id=getattr(user, "region_id", None))
    if user is not None and user.active:
        token = _serializer().dumps({"id": user.id, "fp": _fingerprint(user)})
        link = external_url("accounts.reset_password", token=token)
        send_mail(user.email, _("Reimpostazione della password - Laboratorio"), _(
            "Buongiorno %(name)s,\n\nper scegliere una nuova password apri questo collegamento "
            "entro un'ora:\n\n%(link)s\n\nSe non hai chiesto tu di reimpostare la password, "
            "ignora questo messaggio.\n", name=user.full_name, link=link))
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    """Return the person a valid, unused reset token belongs to, or refuse it."""
    max_age = current_app.config["PASSWORD_RESET_SECONDS"]
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise DomainError(_("Il collegamento è scaduto: chiedine uno nuovo.")) from error
    except BadSignature as error:
        raise DomainError(_("Il collegamento non è valido.")) from error
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        raise DomainError(_("Il collegamento è già stato usato o non è più valido."))
    return user


def reset_password(token: str, new: str, address: str | None) -> User:
    """Set the password chosen from a reset link; every session of the person ends."""
    user = user_for_reset_token(token)
    ended = _set_password(user, new)
    record("password.reset", actor=user, subject=user, region_id=user.region_id, address=address)
    db.session.commit()
    access_changed.send(user, ended_sessions=ended)
    return user
