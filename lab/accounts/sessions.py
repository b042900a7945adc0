"""Sign-in sessions kept on the server, so that signing out or an admin can end them.

The session and remember-me cookies carry a random token (``User.get_id``); the database keeps
its SHA-256. Each request finds its person with one lookup through the token's unique index.
"""
import hashlib
import secrets
from datetime import timedelta

from flask import g
from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import contains_eager, joinedload

from lab.accounts.audit import record
from lab.accounts.models import User, UserSession
from lab.accounts.signals import access_changed
from lab.core.errors import NotFound
from lab.core.timeutil import utcnow
from lab.extensions import db

# How stale "last seen" may get: refreshing it costs a write, so not on every request.
LAST_SEEN_STEP = timedelta(minutes=5)
TOKEN_MAX = 100


# Built once, since every request runs it: bench/session_lookup.py (a loaded 2-core machine) put
# it at 0.35-0.8 ms a lookup on SQLite, as the former look-up by id (0.5-0.65 ms), and the same
# statement built per call at 1.2-3.4 ms; on PostgreSQL 1.7-3.6 ms against 3.4-5.7 ms.
# It brings what every signed-in request asks of the person next (the two-factor check before
# the route: roles, signatory mandates, two-factor settings) in the same round trip.
_LIVE_SESSION = (
    select(UserSession).join(UserSession.user)
    .options(contains_eager(UserSession.user).options(
        joinedload(User.role_assignments), joinedload(User.mandates), joinedload(User.two_factor)))
    .where(UserSession.token_hash == bindparam("token_hash"), UserSession.revoked_at.is_(None),
           User.active.is_(True)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, user_agent: str | None, address: str | None) -> None:
    """Open a session for a person who has just proved who they are, and attach it to them."""
    token = secrets.token_urlsafe(32)
    row = UserSession(user=user, token_hash=_digest(token), address=address,
                      user_agent=(user_agent or "")[:200] or None)
    db.session.add(row)
    db.session.commit()
    user.session_token, user.session_id = token, row.id


def person_for_token(token: str) -> User | None:
    """Return the person of a live session, with their roles; nobody for an ended or unknown one."""
    if not isinstance(token, str) or not 0 < len(token) <= TOKEN_MAX:
        return None
    row = db.session.scalars(_LIVE_SESSION, {"token_hash": _digest(token)}).unique().one_or_none()
    if row is None:
        return None
    if utcnow() - row.last_seen_at > LAST_SEEN_STEP:
        g.session_seen = row.id
    user = row.user
    user.session_token, user.session_id = token, row.id
    return user


def note_last_seen() -> None:
    """Refresh "last seen" of the request's session, if due; called after the request."""
    session_id = g.pop("session_seen", None)
    if session_id is not None:
        db.session.rollback()  # whatever the request left uncommitted is not ours to store
        db.session.execute(update(UserSession).where(UserSession.id == session_id)
                           .values(last_seen_at=utcnow()))
        db.session.commit()


def live_sessions(person: User) -> list[UserSession]:
    """List a person's live sessions, most recently used first."""
    return list(db.session.scalars(
        select(UserSession).where(UserSession.user_id == person.id,
                                  UserSession.revoked_at.is_(None))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def own_session(actor: User, session_id: int) -> UserSession:
    """Return one of the actor's own live sessions, or refuse."""
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != actor.id or row.revoked_at is not None:
        raise NotFound(_("Sessione non trovata."))
    return row


def end_session(actor: User, row: UserSession, action: str = "session.ended") -> None:
    """End one of the actor's own sessions (signing out ends the current one)."""
    row.revoked_at = utcnow()
    record(action, actor=actor, subject=actor, region_id=actor.region_id, session=row.id)
    db.session.commit()
    access_changed.send(actor, ended_sessions=[row.id])


def end_other_sessions(actor: User) -> None:
    """End every session of the actor but the one they are using."""
    ended = revoke_sessions(actor, keep=actor.session_id)
    record("session.ended_others", actor=actor, subject=actor, region_id=actor.region_id,
           count=len(ended))
    db.session.commit()
    access_changed.send(actor, ended_sessions=ended)


def revoke_sessions(person: User, keep: int | None = None) -> list[int]:
    """Mark a person's live sessions ended (but ``keep``) in the caller's transaction.

    The caller commits, then sends ``access_changed`` with the returned ids.
    """
    query = select(UserSession.id).where(UserSession.user_id == person.id,
                                         UserSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep)
    ended = list(db.session.scalars(query))
    if ended:
        db.session.execute(update(UserSession).where(UserSession.id.in_(ended))
                           .values(revoked_at=utcnow()))
    return ended


def sign_out_everywhere(actor: User, person: User) -> None:
    """End every session of a person the actor manages (``services.person_for`` checked it)."""
    ended = revoke_sessions(person)
    record("session.ended_all", actor=actor, subject=person, region_id=person.region_id,
           count=len(ended))
    db.session.commit()
    access_changed.send(person, ended_sessions=ended)
