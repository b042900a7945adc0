"""Adhering to the Pact and withdrawing from it on behalf of a region, and reading the register."""
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from lab.accounts import twofactor
from lab.accounts.audit import record
from lab.accounts.models import Mandate, Region, Role
from lab.accounts.passwords import verify_password
from lab.core.errors import Conflict, DomainError, NotFound, NotPermitted
from lab.core.timeutil import rome_day_bounds, utcnow
from lab.extensions import db
from lab.pact import ledger, occasions
from lab.pact.models import LedgerEntry, PactVersion
from lab.pact.signals import entry_recorded
from lab.pact.versions import current_version

FOUNDING_DAY = date(2019, 1, 23)  # the Forum dell'innovazione sociale, Turin


@dataclass
class Declaration:
    """What the signer states on the signing or withdrawal page."""
    password: str
    declared: bool
    code: str = ""  # the authenticator app's current code
    title: str = ""
    place: str = ""
    event: str = ""
    reason: str = ""
    occasion_id: int | None = None  # a signing occasion offered by lab.pact.occasions


def check_signatory(person, version: PactVersion | None) -> Mandate:
    """Return the mandate under which ``person`` may act for their region, or refuse."""
    mandate = _signatory_mandate(person)
    if version is None or version.status != "published":
        raise DomainError(_("Si può aderire solo alla versione in vigore del Patto."))
    return mandate


def _signatory_mandate(person) -> Mandate:
    if person is None or not getattr(person, "is_authenticated", False):
        raise NotPermitted(_("Accedi per firmare il Patto."))
    mandate = person.current_mandate()
    if mandate is None or not person.has_role(Role.DELEGATE, mandate.region_id):
        raise NotPermitted(_("Non hai poteri di firma in corso per la tua Regione."))
    return mandate


@dataclass
class SignatoryOptions:
    """What a delegate with signatory authority can do for their region now, and why not more."""

    mandate: Mandate
    version: PactVersion | None  # the version in force
    last: LedgerEntry | None  # the region's latest entry in the register

    @property
    def adheres_to_current(self) -> bool:
        return (self.version is not None and self.last is not None
                and self.last.kind == "adhesion" and self.last.version_number == self.version.number)

    @property
    def may_sign(self) -> bool:
        return self.version is not None and not self.adheres_to_current

    @property
    def may_withdraw(self) -> bool:
        return self.last is not None and self.last.kind == "adhesion"

    def why_not_sign(self) -> str:
        region = self.mandate.region.name(str(get_locale() or "it"))
        if self.version is None:
            return _("Nessuna versione del Patto è in vigore: non c'è nulla da firmare.")
        return _("%(region)s aderisce già a questa versione del Patto.", region=region)

    def why_not_withdraw(self) -> str:
        region = self.mandate.region.name(str(get_locale() or "it"))
        return _("%(region)s non aderisce al Patto.", region=region)


def signatory_options(person) -> SignatoryOptions:
    """Tell a delegate with signatory authority what they can sign or withdraw now; refuse others."""
    mandate = _signatory_mandate(person)
    return SignatoryOptions(mandate, current_version(), last_entry(mandate.region))


def _check_declaration(person, declaration: Declaration, *required: str) -> None:
    if not declaration.declared:
        raise DomainError(_("Devi spuntare la dichiarazione per procedere."))
    for name in required:
        if not getattr(declaration, name).strip():
            raise DomainError(_("Compila tutti i campi obbligatori."))
    if not verify_password(person.password_hash, declaration.password or ""):
        raise DomainError(_("La password non è corretta."))
    # A stolen password alone must not sign for a region: recovery codes are for signing in.
    twofactor.check_code(person, declaration.code, recovery=False)


def sign_pact(person, version: PactVersion, declaration: Declaration,
              signed_at: datetime | None = None, demo: bool = False) -> LedgerEntry:
    """Record the region's adhesion to the current Pact, signed by a delegate with authority."""
    mandate = check_signatory(person, version)
    _check_declaration(person, declaration, "title", "place")
    occasion = occasions.chosen_occasion(declaration.occasion_id)
    region = mandate.region
    with ledger.ledger_locked():
        options = SignatoryOptions(mandate, version, last_entry(region))
        if not options.may_sign:
            raise Conflict(options.why_not_sign())
        entry = _append("adhesion", person, mandate, version, declaration, signed_at, demo,
                        occasion)
    entry_recorded.send(entry)
    return entry


def withdraw(person, declaration: Declaration, signed_at: datetime | None = None,
             demo: bool = False) -> LedgerEntry:
    """Record the region's withdrawal from the Pact, with the stated reason."""
    version = current_version()
    mandate = check_signatory(person, version)
    _check_declaration(person, declaration, "reason", "place")
    with ledger.ledger_locked():
        options = SignatoryOptions(mandate, version, last_entry(mandate.region))
        if not options.may_withdraw:
            raise Conflict(options.why_not_withdraw())
        entry = _append("withdrawal", person, mandate, options.last.version, declaration,
                        signed_at, demo)
    entry_recorded.send(entry)
    return entry


def _append(kind, person, mandate, version, declaration, signed_at, demo,
            occasion: occasions.Occasion | None = None) -> LedgerEntry:
    event = declaration.event.strip() or (occasion.title if occasion else "")
    try:
        entry = ledger.append({
            "kind": kind, "region_id": mandate.region_id, "region_code": mandate.region.istat_code,
            "version_id": version.id, "version_number": version.number,
            "text_hash": version.text_hash, "signer_id": person.id,
            "signer_name": person.full_name, "signer_title": declaration.title.strip(),
            "mandate_act": mandate.act, "place": declaration.place.strip(),
            "event": event, "reason": declaration.reason.strip(),
            "demo": demo, "signed_at": signed_at or utcnow(),
        })
        at_occasion = {"occasion": occasion.id} if occasion else {}
        record(f"pact.{kind}", actor=person, region_id=mandate.region_id, seq=entry.seq,
               version=version.number, entry_hash=entry.entry_hash, **at_occasion)
        if occasion:
            occasions.link(entry, occasion)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return entry


def last_entry(region: Region, up_to_seq: int | None = None) -> LedgerEntry | None:
    query = select(LedgerEntry).where(LedgerEntry.region_code == region.istat_code)
    if up_to_seq is not None:
        query = query.where(LedgerEntry.seq <= up_to_seq)
    return db.session.scalar(query.order_by(LedgerEntry.seq.desc()).limit(1))


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

    The work is 21 index look-ups whatever the length of the register. Entries are found by
    the hashed ``region_code``, so the status shown is the one the register's hashes cover.
    """
    bound = None
    if day is not None:
        bound = db.session.scalar(select(LedgerEntry.seq).where(
            LedgerEntry.signed_at < rome_day_bounds(day)[1]).order_by(
            LedgerEntry.signed_at.desc(), LedgerEntry.seq.desc()).limit(1)) or 0
    regions = list(db.session.scalars(select(Region).order_by(Region.name_it)))
    last_seq = select(func.max(LedgerEntry.seq)).where(LedgerEntry.region_code == Region.istat_code)
    if bound is not None:
        last_seq = last_seq.where(LedgerEntry.seq <= bound)
    seqs = [s for s in db.session.scalars(select(last_seq.scalar_subquery()).select_from(Region)
                                           .order_by(Region.name_it)) if s]
    entries = {e.region_code: e for e in db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.seq.in_(seqs)))}
    founders = _founders(bound)
    current = current_version()
    number = current.number if current else None
    return [RegionStanding(r, entries.get(r.istat_code), r.istat_code in founders, number)
            for r in regions]


def _founders(bound: int | None) -> set[str]:
    start, end = rome_day_bounds(FOUNDING_DAY)
    query = select(LedgerEntry.region_code).where(
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
