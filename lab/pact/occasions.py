"""Signing occasions: events at which a region may sign the Pact, lent by the events domain.

The Pact knows nothing of events. The events domain imports the Pact (never the reverse) and,
when it is loaded, lends its occasions here with ``lend`` (lab/events/occasions.py). Without a
lender the signing form offers no occasion.
"""
from dataclasses import dataclass
from typing import Callable

from flask_babel import gettext as _

from lab.core.errors import DomainError


@dataclass(frozen=True)
class Occasion:
    id: int
    title: str  # written in the entry's (hashed) ``event`` field unless the signer wrote one
    label: str  # as the signing form offers it


@dataclass(frozen=True)
class _Lender:
    current: Callable[[], list[Occasion]]
    link: Callable[[object, Occasion], None]  # (the appended entry, its occasion), uncommitted


_lender: _Lender | None = None


def lend(current: Callable[[], list[Occasion]], link: Callable[[object, Occasion], None]) -> None:
    """Offer the occasions ``current()`` returns; ``link`` records an adhesion signed at one."""
    global _lender
    _lender = _Lender(current, link)


def current_occasions() -> list[Occasion]:
    """The occasions at which a region may sign now."""
    return _lender.current() if _lender else []


def chosen_occasion(occasion_id: int | None) -> Occasion | None:
    """The occasion a signer chose, if it is still one; none chosen is None."""
    if not occasion_id:
        return None
    for occasion in current_occasions():
        if occasion.id == occasion_id:
            return occasion
    raise DomainError(_("L'evento scelto non è più un'occasione di firma del Patto."))


def link(entry, occasion: Occasion) -> None:
    """Record, in the caller's transaction, that the adhesion ``entry`` was signed at ``occasion``."""
    _lender.link(entry, occasion)  # an occasion was chosen, so there is a lender
