"""Two-factor sign-in: an authenticator app (TOTP, RFC 6238) and single-use recovery codes.

Required of platform admins, region admins and signatories once a grace period is over, optional
for everyone else. A code is accepted one 30-second step either side of the server's clock and
never twice: the newest accepted step is stored, and only a later one passes.
"""
import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

import pyotp
import segno
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from lab.accounts import sessions
from lab.accounts.audit import record
from lab.accounts.models import RecoveryCode, TwoFactor, User
from lab.accounts.passwords import verify_password
from lab.accounts.services import can_manage_region
from lab.accounts.signals import access_changed
from lab.core.errors import DomainError, NotPermitted
from lab.core.timeutil import utcnow
from lab.extensions import db

GRACE = timedelta(days=7)
STEP_SECONDS = 30
WINDOW = 1  # steps either side of the server's: phones' clocks drift
RECOVERY_CODES = 10
ISSUER = "Laboratorio"


class WrongCode(DomainError):
    """The code is not one the authenticator shows now, or it was already used."""


def current_step() -> int:
    """Return the number of the 30-second step the clock is in (RFC 6238's T)."""
    return int(time.time()) // STEP_SECONDS


# --- the secret, encrypted at rest ------------------------------------------------------------

def _cipher() -> MultiFernet:
    """Encrypt under SECRET_KEY; decrypt under it or any of SECRET_KEY_FALLBACKS (rotation)."""
    config = current_app.config
    keys = [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or [])]
    return MultiFernet([Fernet(_derived_key(key)) for key in keys])


def _derived_key(secret_key: str | bytes) -> bytes:
    raw = secret_key.encode() if isinstance(secret_key, str) else secret_key
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"laboratorio two-factor")
    return base64.urlsafe_b64encode(hkdf.derive(raw))


def authenticator(settings: TwoFactor) -> pyotp.TOTP:
    """Return the person's code generator, from their stored secret."""
    secret = _cipher().decrypt(settings.secret.encode()).decode()
    return pyotp.TOTP(secret, interval=STEP_SECONDS)


# --- who must use it, and by when -------------------------------------------------------------

def settings_of(user: User) -> TwoFactor | None:
    """Return the person's settings, loaded with their sign-in session on each request."""
    return user.two_factor


def is_enabled(user: User) -> bool:
    settings = settings_of(user)
    return settings is not None and settings.enabled_at is not None


def is_required(user: User) -> bool:
    """Platform admins, region admins and delegates with signatory authority must use it."""
    return user.is_platform_admin or user.is_region_admin or user.has_signatory_authority


@dataclass(frozen=True)
class Standing:
    enabled: bool
    deadline: datetime | None  # required but not set up: the end of the grace period

    @property
    def locked(self) -> bool:
        return self.deadline is not None and self.deadline <= utcnow()


def note_requirement(user: User) -> Standing:
    """Tell whether the person must still set it up and by when, starting their grace period."""
    settings = settings_of(user)
    if settings is not None and settings.enabled_at is not None:
        return Standing(True, None)
    if not is_required(user):
        return Standing(False, None)
    if settings is None or settings.required_since is None:
        return Standing(False, _start_grace(user, settings) + GRACE)
    return Standing(False, settings.required_since + GRACE)


def _start_grace(user: User, settings: TwoFactor | None) -> datetime:
    """Start the grace period now and return its start, without reading back what was written."""
    if settings is None:
        settings = user.two_factor = TwoFactor(user_id=user.id)
    since = settings.required_since = utcnow()
    try:
        db.session.commit()
    except IntegrityError:  # a request of the same person's got there first
        db.session.rollback()
        return settings_of(user).required_since
    return since


# --- setting it up ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Enrolment:
    """A secret waiting for its first code: as a QR code for the app, and as text to type."""

    secret: str
    uri: str

    @property
    def qr_data_uri(self) -> str:
        return segno.make(self.uri, error="m").svg_data_uri(scale=4)


def begin_enrolment(user: User) -> str:
    """Give the person a new secret for their app; it counts once a first code confirms it."""
    settings = settings_of(user)
    if settings is None:
        settings = user.two_factor = TwoFactor(user_id=user.id)
    if settings.enabled_at is not None:
        raise DomainError(_("L'accesso in due passaggi è già attivo."))
    secret = pyotp.random_base32()
    settings.secret = _cipher().encrypt(secret.encode()).decode()
    db.session.commit()
    return secret


def pending_enrolment(user: User) -> Enrolment | None:
    """Return the secret that waits for its first code, if the person started setting it up."""
    settings = settings_of(user)
    if settings is None or settings.secret is None or settings.enabled_at is not None:
        return None
    totp = authenticator(settings)
    return Enrolment(totp.secret, totp.provisioning_uri(name=user.email, issuer_name=ISSUER))


def confirm_enrolment(user: User, code: str, address: str | None = None) -> list[str]:
    """Turn it on once a first code proves the app holds the secret; return the recovery codes.

    Every session, this one included, ends: none of them passed the second step.
    """
    settings = settings_of(user)
    if settings is None or settings.secret is None or settings.enabled_at is not None:
        raise DomainError(_("Avvia di nuovo la configurazione dell'accesso in due passaggi."))
    _take_totp(user, settings, code, address)
    settings.enabled_at = utcnow()
    ended = sessions.revoke_sessions(user)
    codes = _replace_recovery_codes(user)
    record("two_factor.enabled", actor=user, subject=user, region_id=user.region_id,
           address=address)
    db.session.commit()
    access_changed.send(user, ended_sessions=ended)
    return codes


# --- checking codes ---------------------------------------------------------------------------

def check_code(user: User, code: str, address: str | None = None, *, recovery: bool = True) -> None:
    """Accept the app's current code (or an unused recovery code, where allowed); refuse the rest.

    The code is used up in the caller's transaction; a refusal is audited and committed.
    """
    settings = settings_of(user)
    if settings is None or settings.enabled_at is None:
        raise DomainError(_("Attiva prima l'accesso in due passaggi dalla pagina del tuo account."))
    if recovery and not _looks_like_totp(code):
        if _take_recovery_code(user, code):
            record("two_factor.recovery_code_used", actor=user, subject=user,
                   region_id=user.region_id, address=address, left=recovery_codes_left(user))
            return
        _refuse(user, address, _("Il codice di recupero non è valido o è già stato usato."))
    _take_totp(user, settings, code, address)


def _looks_like_totp(code: str) -> bool:
    digits = _normalised(code)
    return len(digits) == 6 and digits.isdigit()


def _take_totp(user: User, settings: TwoFactor, code: str, address: str | None) -> None:
    totp, now, given = authenticator(settings), current_step(), _normalised(code)
    steps = [s for s in range(now - WINDOW, now + WINDOW + 1)
             if hmac.compare_digest(totp.generate_otp(s), given)]
    if not steps:
        _refuse(user, address, _("Il codice non è corretto: controlla l'app e riprova."))
    # One statement, so two requests racing with the same code cannot both pass.
    taken = db.session.execute(update(TwoFactor).where(
        TwoFactor.user_id == user.id,
        or_(TwoFactor.last_step.is_(None), TwoFactor.last_step < steps[0]),
    ).values(last_step=steps[0])).rowcount
    if taken != 1:
        _refuse(user, address, _("Questo codice è già stato usato: attendi il successivo."))


def _take_recovery_code(user: User, code: str) -> bool:
    taken = db.session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code),
        RecoveryCode.used_at.is_(None),
    ).values(used_at=utcnow())).rowcount
    return taken == 1


def _refuse(user: User, address: str | None, message: str) -> NoReturn:
    db.session.rollback()
    record("two_factor.refused", subject=user, region_id=user.region_id, address=address)
    db.session.commit()
    raise WrongCode(message)


def credentials_stamp(user: User) -> str:
    """Name the password a half-finished sign-in was started with, so a change ends it."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def pending_person(user_id, stamp) -> User | None:
    """Return the person a half-finished sign-in belongs to, if it still holds."""
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or credentials_stamp(user) != stamp:
        return None
    return user if is_enabled(user) else None


def complete_sign_in(user: User, code: str, address: str | None) -> None:
    """Accept the second step of signing in."""
    check_code(user, code, address)
    record("sign_in.second_step", actor=user, subject=user, region_id=user.region_id,
           address=address)
    db.session.commit()


# --- recovery codes, turning it off -----------------------------------------------------------

def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = secrets.token_hex(6)  # 48 random bits: a SHA-256 is enough to store them
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    return codes


def _normalised(code: str | None) -> str:
    return "".join(ch for ch in (code or "")[:40].lower() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normalised(code).encode()).hexdigest()


def _check_identity(user: User, password: str, code: str, address: str | None) -> None:
    if not verify_password(user.password_hash, password or ""):
        raise DomainError(_("La password non è corretta."))
    check_code(user, code, address)


def regenerate_recovery_codes(user: User, password: str, code: str,
                              address: str | None = None) -> list[str]:
    """Replace the person's recovery codes with ten new ones, after their password and a code."""
    _check_identity(user, password, code, address)
    codes = _replace_recovery_codes(user)
    record("two_factor.recovery_codes_renewed", actor=user, subject=user,
           region_id=user.region_id, address=address)
    db.session.commit()
    return codes


def disable(user: User, password: str, code: str, address: str | None = None) -> None:
    """Turn the person's two-factor sign-in off, after their password and a code."""
    _check_identity(user, password, code, address)
    _clear(user)
    record("two_factor.disabled", actor=user, subject=user, region_id=user.region_id,
           address=address)
    db.session.commit()


def reset(actor: User, person: User) -> None:
    """Turn off the two-factor sign-in of a person who lost their app, so they set it up again."""
    if person.id == actor.id:
        raise NotPermitted(_("Non puoi azzerare il tuo accesso in due passaggi: "
                             "disattivalo dalla pagina del tuo account."))
    if not can_manage_region(actor, person.region_id):
        raise NotPermitted(_("Non puoi gestire questa persona."))
    settings = settings_of(person)
    if settings is None or settings.secret is None:
        raise DomainError(_("Questa persona non usa l'accesso in due passaggi."))
    _clear(person)
    record("two_factor.reset", actor=actor, subject=person, region_id=person.region_id)
    db.session.commit()


def _clear(user: User) -> None:
    settings = settings_of(user)
    settings.secret = settings.enabled_at = settings.last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
