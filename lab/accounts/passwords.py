"""Password hashing (Argon2id, memory-hard) and the strength rule for new passwords."""
import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from zxcvbn import zxcvbn

from lab.core.errors import DomainError

MIN_LENGTH = 12


@cache
def _dummy_hash() -> str:
    """A real hash to verify against when the account does not exist, so timing reveals nothing."""
    return PasswordHasher().hash("laboratorio-no-such-account")


class WeakPassword(DomainError):
    pass


def hash_password(password: str) -> str:
    """Hash with Argon2id; the cost comes from ``ARGON2_PARAMS`` (lowered only in tests)."""
    return PasswordHasher(**current_app.config.get("ARGON2_PARAMS", {})).hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        verified = PasswordHasher().verify(password_hash or _dummy_hash(), password)
        return verified and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def check_password_strength(password: str, *personal: str) -> None:
    """Refuse passwords shorter than 12 characters or easy to guess (common, or built from the name)."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(_("La password deve avere almeno %(n)d caratteri.", n=MIN_LENGTH))
    if len(password) > 256:
        raise WeakPassword(_("La password può avere al massimo 256 caratteri."))
    hints = [part for value in personal if value
             for part in re.split(r"[\s@._-]+", value.lower()) if len(part) >= 3]
    remainder = password.lower()
    for hint in hints:
        remainder = remainder.replace(hint, "")
    if len(remainder) < 8:
        raise WeakPassword(_("La password è troppo simile al tuo nome o al tuo indirizzo email."))
    if zxcvbn(password[:100], user_inputs=hints)["score"] < 3:
        raise WeakPassword(_(
            "Questa password è troppo comune o facile da indovinare: "
            "usa una frase di più parole o una combinazione meno prevedibile."
        ))
