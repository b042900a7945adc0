"""Checking what clients send over the socket, and describing refusals as `error` events."""
from flask_babel import gettext as _

from lab.core.errors import Conflict, DomainError, NotFound, NotPermitted
from lab.core.text import text_problem
from lab.rooms.messages import RateLimited

INT_MAX = 2**31 - 1


class BadPayload(DomainError):
    """The event's data is not what the event expects."""


def read(data, required: dict[str, type], optional: dict[str, type] | None = None) -> dict:
    """Return the payload's fields after checking names and types; refuse anything else."""
    optional = optional or {}
    if not isinstance(data, dict):
        raise BadPayload(_("Dati non validi: era atteso un oggetto."))
    unexpected = set(data) - set(required) - set(optional)
    if unexpected:
        raise BadPayload(_("Dati non validi: campo non previsto «%(name)s».", name=sorted(unexpected)[0]))
    values = {}
    for name, kind in {**required, **optional}.items():
        if name not in data:
            if name in required:
                raise BadPayload(_("Dati non validi: manca il campo «%(name)s».", name=name))
            continue
        values[name] = _check(name, data[name], kind)
    return values


def _check(name: str, value, kind: type):
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= INT_MAX:
            raise BadPayload(_("Dati non validi: «%(name)s» deve essere un numero.", name=name))
    elif not isinstance(value, kind):
        raise BadPayload(_("Dati non validi: «%(name)s» deve essere un testo.", name=name))
    elif kind is str and (problem := text_problem(value)):
        raise BadPayload(problem)
    return value


def error_code(error: Exception) -> str:
    """Name a refusal for clients, which react to the code and show the message."""
    for kind, code in ((RateLimited, "rate_limited"), (BadPayload, "bad_payload"),
                       (NotFound, "not_found"), (NotPermitted, "forbidden"), (Conflict, "conflict")):
        if isinstance(error, kind):
            return code
    return "invalid"
