"""Pact versions: drafted, previewed and published by platform admins; one is current."""
import difflib

from flask_babel import gettext as _
from sqlalchemy import func, select

from lab.accounts.audit import record
from lab.core.errors import DomainError, NotFound, NotPermitted
from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.pact.canonical import normalise_text, text_hash
from lab.pact.models import PactVersion


def current_version() -> PactVersion | None:
    return db.session.scalar(select(PactVersion).where(PactVersion.status == "published"))


def all_versions() -> list[PactVersion]:
    return list(db.session.scalars(select(PactVersion).order_by(PactVersion.number.desc())))


def version_by_number(number: int) -> PactVersion:
    version = db.session.scalar(select(PactVersion).where(PactVersion.number == number))
    if version is None:
        raise NotFound(_("Versione del Patto non trovata."))
    return version


def _check_admin(actor) -> None:
    if actor is not None and not actor.is_platform_admin:
        raise NotPermitted(_("Solo gli amministratori della piattaforma gestiscono il testo del Patto."))


def save_draft(actor, title: str, body: str, version: PactVersion | None = None) -> PactVersion:
    """Create a new draft, or change one that is still a draft."""
    _check_admin(actor)
    if not title.strip() or not body.strip():
        raise DomainError(_("Titolo e testo sono obbligatori."))
    if version is None:
        number = (db.session.scalar(select(func.max(PactVersion.number))) or 0) + 1
        version = PactVersion(number=number, created_by_id=getattr(actor, "id", None))
        db.session.add(version)
    elif version.status != "draft":
        raise DomainError(_("Una versione pubblicata non si modifica: crea una nuova bozza."))
    version.title = title.strip()
    version.body = normalise_text(body)
    version.text_hash = text_hash(version.body)
    record("pact.version_saved", actor=actor, number=version.number)
    db.session.commit()
    return version


def publish(actor, version: PactVersion, published_at=None) -> PactVersion:
    """Publish a draft; the version published until now becomes superseded."""
    _check_admin(actor)
    if version.status != "draft":
        raise DomainError(_("Si può pubblicare solo una bozza."))
    previous = current_version()
    if previous is not None:
        previous.status = "superseded"
    version.status = "published"
    version.published_at = published_at or utcnow()
    version.published_by_id = getattr(actor, "id", None)
    record("pact.version_published", actor=actor, number=version.number, text_hash=version.text_hash)
    db.session.commit()
    return version


def previous_version(version: PactVersion) -> PactVersion | None:
    return db.session.scalar(select(PactVersion).where(
        PactVersion.number < version.number, PactVersion.status != "draft"
    ).order_by(PactVersion.number.desc()).limit(1))


def diff_lines(old: PactVersion, new: PactVersion) -> list[tuple[str, str]]:
    """Return (kind, line) pairs, kind being ' ', '+' or '-', for a readable line diff."""
    lines = []
    for line in difflib.ndiff(old.body.split("\n"), new.body.split("\n")):
        if line[:1] in (" ", "+", "-"):
            lines.append((line[:1], line[2:]))
    return lines
