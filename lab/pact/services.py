"""Adhering to the Pact and withdrawing from it on behalf of a region, and reading the register."""
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from lab.accounts.audit import record
from lab.accounts.models import Region, Role, RoleAssignment, User
from lab.accounts.passwords import verify_password
from lab.core.links import external_url
from lab.core.errors import Conflict, DomainError, NotFound, NotPermitted
from lab.core.mail import MailError, send_mail
from lab.core.timeutil import rome_day_bounds, utcnow
from lab.extensions import db
from lab.pact import ledger
from lab.pact.models import LedgerEntry, PactVersion
from lab.pact.versions import current_version

FOUNDING_DAY = date(2019, 1, 23)  # the Forum dell'innovazione sociale, Turin


@dataclass
class Declaration:
    """What the signer states on the signing or withdrawal page."""
    password: str
    declared: bool
    title: str = ""
    place: str = ""
    event: str = ""
    reason: str = ""


def check_signatory(person, version: PactVersion | None):
    """Return the mandate under which ``person`` may act for their region, or refuse."""
    if person is None or not getattr(person, "is_authenticated", False):
        raise NotPermitted(_("Accedi per firmare il Patto."))
    mandate = person.current_mandate()
    if mandate is None or not person.has_role(Role.DELEGATE, mandate.region_id):
        raise NotPermitted(_("Non hai poteri di firma in corso per la tua Regione."))
    if version is None or version.status != "published":
        raise DomainError(_("Si può aderire solo alla versione in vigore del Patto."))
    return mandate


def _check_declaration(person, declaration: Declaration, *required: str) -> None:
    if not declaration.declared:
        raise DomainError(_("Devi spuntare la dichiarazione per procedere."))
    for name in required:
        if not getattr(declaration, name).strip():
            raise DomainError(_("Compila tutti i campi obbligatori."))
    if not verify_password(person.password_hash, declaration.password or ""):
        raise DomainError(_("La password non è corretta."))


def sign_pact(person, version: PactVersion, declaration: Declaration,
              signed_at: datetime | None = None, demo: bool = False) -> LedgerEntry:
    """Record the region's adhesion to the current Pact, signed by a delegate with authority."""
    mandate = check_signatory(person, version)
    _check_declaration(person, declaration, "title", "place")
    region = mandate.region
    with ledger.ledger_locked():
        last = last_entry(region)
        if last and last.kind == "adhesion" and last.version_number == version.number:
            raise Conflict(_("%(region)s aderisce già a questa versione del Patto.",
                             region=region.name_it))
        entry = _append("adhesion", person, mandate, version, declaration, signed_at, demo)
    _notify(entry)
    return entry


def withdraw(person, declaration: Declaration, signed_at: datetime | None = None,
             demo: bool = False) -> LedgerEntry:
    """Record the region's withdrawal from the Pact, with the stated reason."""
    mandate = check_signatory(person, current_version())
    _check_declaration(person, declaration, "reason", "place")
    with ledger.ledger_locked():
        last = last_entry(mandate.region)
        if last is None or last.kind != "adhesion":
            raise Conflict(_("%(region)s non aderisce al Patto.", region=mandate.region.name_it))
        entry = _append("withdrawal", person, mandate, last.version, declaration, signed_at, demo)
    _notify(entry)
    return entry


def _append(kind, person, mandate, version, declaration, signed_at, demo) -> LedgerEntry:
    try:
        entry = ledger.append({
            "kind": kind, "region_id": mandate.region_id, "region_code": mandate.region.istat_code,
            "version_id": version.id, "version_number": version.number,
            "text_hash": version.text_hash, "signer_id": person.id,
            "signer_name": person.full_name, "signer_title": declaration.title.strip(),
            "mandate_act": mandate.act, "place": declaration.place.strip(),
            "event": declaration.event.strip(), "reason": declaration.reason.strip(),
            "demo": demo, "signed_at": signed_at or utcnow(),
        })
        record(f"pact.{kind}", actor=person, region_id=mandate.region_id, seq=entry.seq,
               version=version.number, entry_hash=entry.entry_hash)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return entry


def last_entry(region: Region, up_to_seq: int | None = None) -> LedgerEntry | None:
    query = select(LedgerEntry).where(LedgerEntry.region_id == region.id)
    if up_to_seq is not None:
        query = query.where(LedgerEntry.seq <= up_to_seq)
    return db.session.scalar(query.order_by(LedgerEntry.seq.desc()).limit(1))


def _notify(entry: LedgerEntry) -> None:
    """Email the region's admins and the platform admins; a failed email loses no entry."""
    recipients = db.session.scalars(select(User.email).join(RoleAssignment, RoleAssignment.user_id == User.id).where(
        RoleAssignment.ended_at.is_(None),
        or_(RoleAssignment.role == Role.PLATFORM_ADMIN.value,
            and_(RoleAssignment.role == Role.REGION_ADMIN.value,
                 RoleAssignment.region_id == entry.region_id))).distinct())
    with force_locale("it"):
        kind = _("adesione") if entry.kind == "adhesion" else _("recesso")
        subject = _("Registro del Patto: %(kind)s di %(region)s", kind=kind,
                    region=entry.region.name_it)
        body = _("Nel registro del Patto per l'innovazione sociale è stata iscritta la voce "
                 "n. %(seq)d (%(kind)s) per %(region)s, firmata da %(name)s.\n\n"
                 "Hash della voce: %(hash)s\n%(link)s\n",
                 seq=entry.seq, kind=kind, region=entry.region.name_it, name=entry.signer_name,
                 hash=entry.entry_hash,
                 link=external_url("pact.entry", seq=entry.seq))
    for email in recipients:
        try:
            send_mail(email, subject, body)
        except MailError:
            current_app.logger.warning("Pact notification to %s not sent", email)


# --- the register as it stands, today or on a past day --------------------------------------

@dataclass
class RegionStanding:
    region: Region
    entry: LedgerEntry | None
    founding: bool
    current_number: int | None

    @property
    def status(self) -> str:
        """'adhering', 'adhering_old' (an older version), 'withdrawn' or 'none'."""
        if self.entry is None:
            return "none"
        if self.entry.kind == "withdrawal":
            return "withdrawn"
        if self.current_number is not None and self.entry.version_number != self.current_number:
            return "adhering_old"
        return "adhering"


def register_as_of(day: date | None = None) -> list[RegionStanding]:
    """Each region's latest entry up to the end of ``day`` (today by default).

    The work is 21 index look-ups whatever the length of the register.
    """
    bound = None
    if day is not None:
        bound = db.session.scalar(select(LedgerEntry.seq).where(
            LedgerEntry.signed_at < rome_day_bounds(day)[1]).order_by(
            LedgerEntry.signed_at.desc(), LedgerEntry.seq.desc()).limit(1)) or 0
    regions = list(db.session.scalars(select(Region).order_by(Region.name_it)))
    last_seq = select(func.max(LedgerEntry.seq)).where(LedgerEntry.region_id == Region.id)
    if bound is not None:
        last_seq = last_seq.where(LedgerEntry.seq <= bound)
    seqs = [s for s in db.session.scalars(select(last_seq.scalar_subquery()).select_from(Region)
                                           .order_by(Region.name_it)) if s]
    entries = {e.region_id: e for e in db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.seq.in_(seqs)))}
    founders = _founders(bound)
    current = current_version()
    number = current.number if current else None
    return [RegionStanding(r, entries.get(r.id), r.id in founders, number) for r in regions]


def standing_of(region: Region) -> RegionStanding:
    """Return one region's standing in the register today."""
    return next(s for s in register_as_of() if s.region.id == region.id)


def _founders(bound: int | None) -> set[int]:
    start, end = rome_day_bounds(FOUNDING_DAY)
    query = select(LedgerEntry.region_id).where(
        LedgerEntry.kind == "adhesion", LedgerEntry.signed_at >= start, LedgerEntry.signed_at < end)
    if bound is not None:
        query = query.where(LedgerEntry.seq <= bound)
    return set(db.session.scalars(query))


def entry_by_seq(seq: int) -> LedgerEntry:
    entry = db.session.get(LedgerEntry, seq)
    if entry is None:
        raise NotFound(_("Voce del registro non trovata."))
    return entry


def all_entries() -> list[LedgerEntry]:
    return list(db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.seq)))
