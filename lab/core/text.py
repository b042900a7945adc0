"""The one rule for text that comes from outside: forms, socket events, JSON and query strings.

Text must encode as UTF-8 (a lone surrogate such as ``"\\ud800"``, which JSON lets a client
send, cannot) and hold no control character but tab, line feed and carriage return: none
belongs in what people write, and PostgreSQL refuses NUL outright. Such text is refused where
it enters, with a message, before it can fail a write shared with other people's data.
"""
import re

from flask_babel import gettext as _

from lab.core.errors import DomainError

DISALLOWED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class InvalidText(DomainError):
    """Text that cannot be stored: not encodable as UTF-8, or with control characters."""


def text_problem(value: str) -> str | None:
    """Say what makes a text unfit to store, or None if nothing does."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("Il testo contiene un carattere non valido (un carattere Unicode incompleto): "
                 "cancellalo e riscrivilo.")
    if DISALLOWED.search(value):
        return _("Il testo contiene caratteri di controllo non ammessi.")
    return None


def check_text(value: str) -> str:
    """Return the text if it is fit to store; refuse it otherwise."""
    problem = text_problem(value)
    if problem:
        raise InvalidText(problem)
    return value


def check_texts(value) -> None:
    """Check every string (keys too) in a structure decoded from JSON."""
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_texts(key)
            check_texts(item)
    elif isinstance(value, list):
        for item in value:
            check_texts(item)
