"""Writing practices: the author's drafts and changes, their attachments, and the revisions.

Every saved change keeps a revision (``save_revision``): who, when, and the whole record.
The workflow's steps (submit, approve, publish, ...) live in ``lab.library.workflow``.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from lab.accounts.audit import record
from lab.accounts.models import Region, User
from lab.core.errors import DomainError, NotFound, NotPermitted
from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.groups.models import Group
from lab.groups.services import slugify
from lab.library import access
from lab.library.attachments import Upload, stored_file
from lab.library.models import (
    AttachmentRole, Practice, PracticeAttachment, PracticeFunding, PracticeIndicator,
    PracticeLink, PracticeOrganisation, PracticeRevision, PracticeStatus as Status, PracticeTarget,
)
from lab.library.snapshot import take_snapshot


@dataclass
class Organisation:
    name: str
    org_type: str
    is_lead: bool = False


@dataclass
class Funding:
    source: str
    measure: str = ""
    amount: Decimal | None = None


@dataclass
class Indicator:
    name: str
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    achieved: Decimal | None = None
    measured_on: date | None = None


@dataclass
class PracticeDraft:
    """What the author writes; lists hold the structured parts in the order given."""

    title: str
    summary: str
    primary_group_id: int
    scale: str
    started_on: date
    ended_on: date | None = None
    kind: str = "good_practice"
    problem: str = ""
    intervention: str = ""
    lessons: str = ""
    transfer_conditions: str = ""
    secondary_group_ids: list[int] = field(default_factory=list)
    partner_region_ids: list[int] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    fundings: list[Funding] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, label)
    evidence_level: int = 1
    evidence_justification: str = ""
    contact_role: str = ""
    contact_office: str = ""
    contact_email: str | None = None
    contact_email_public: bool = False
    upload: Upload | None = None
    upload_role: str = AttachmentRole.DOCUMENT.value


class EvidenceNotMet(DomainError):
    """The declared evidence level asks for something the practice does not have."""


def check_evidence(practice: Practice, level: int) -> None:
    """Refuse a level whose condition the practice does not meet (2: an achieved value; 3–4: an
    evaluation document)."""
    if level >= 2 and not any(i.achieved is not None for i in practice.indicators):
        raise EvidenceNotMet(_("Il livello 2 o superiore richiede almeno un indicatore con il "
                               "valore raggiunto."))
    if level >= 3 and not any(a.role == AttachmentRole.EVALUATION and a.removed_at is None
                              for a in practice.attachments):
        raise EvidenceNotMet(_("I livelli 3 e 4 richiedono un documento di valutazione allegato."))


def save_revision(actor: User, practice: Practice) -> PracticeRevision:
    """Keep the record as it is now as its next revision (in the caller's transaction)."""
    db.session.flush()
    db.session.expire(practice, ["attachments", "revisions"])
    number = (db.session.scalar(select(func.max(PracticeRevision.number))
                                .where(PracticeRevision.practice_id == practice.id)) or 0) + 1
    practice.revised_at = utcnow()
    revision = PracticeRevision(practice=practice, number=number, author_id=actor.id,
                                status=practice.status, snapshot=take_snapshot(practice),
                                created_at=practice.revised_at)
    db.session.add(revision)
    return revision


def create_practice(author: User, draft: PracticeDraft, source_message_id: int | None = None,
                    demo: bool = False) -> Practice:
    """Start a practice as a draft of the author's region."""
    if not access.may_draft(author):
        raise NotPermitted(_("Solo i delegati regionali possono proporre buone pratiche."))
    practice = Practice(author_id=author.id, lead_region_id=author.region_id,
                        status=Status.DRAFT.value, source_message_id=source_message_id, demo=demo)
    db.session.add(practice)
    _save(author, practice, draft, "practice.created")
    return practice


def update_practice(actor: User, practice: Practice, draft: PracticeDraft) -> None:
    """Save the author's changes; a published practice goes back to draft, its public version stays."""
    if not access.may_edit(actor, practice):
        raise NotPermitted(_("Non puoi modificare questa pratica in questo momento."))
    if practice.status == Status.PUBLISHED:
        practice.status = Status.DRAFT.value
    _save(actor, practice, draft, "practice.updated")


def _save(actor: User, practice: Practice, draft: PracticeDraft, action: str) -> None:
    try:
        with db.session.no_autoflush:  # the practice is whole only once the draft is applied
            _apply(practice, draft)
        with stored_file(draft.upload) as stored_name:
            if stored_name:
                practice.attachments.append(PracticeAttachment(
                    filename=draft.upload.filename, stored_name=stored_name,
                    mimetype=draft.upload.mimetype, size=len(draft.upload.data),
                    role=draft.upload_role, uploaded_by_id=actor.id))
            check_evidence(practice, practice.evidence_level)
            revision = save_revision(actor, practice)
            record(action, actor=actor, region_id=practice.lead_region_id,
                   practice=practice.id, revision=revision.number)
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def _apply(practice: Practice, draft: PracticeDraft) -> None:
    """Copy the draft onto the working copy, replacing every list of parts."""
    if not " ".join(draft.title.split()) or not draft.summary.strip():
        raise DomainError(_("Indica il titolo e la sintesi."))
    if draft.ended_on and draft.ended_on < draft.started_on:
        raise DomainError(_("La fine non può precedere l'inizio."))
    if draft.contact_email_public and not draft.contact_email:
        raise DomainError(_("Indica l'email da mostrare, o togli la spunta."))
    primary = db.session.get(Group, draft.primary_group_id)
    if primary is None:
        raise NotFound(_("Gruppo di lavoro non trovato."))
    for name in ("title", "summary", "kind", "problem", "intervention", "lessons",
                 "transfer_conditions", "scale", "started_on", "ended_on", "evidence_level",
                 "evidence_justification", "contact_role", "contact_office", "contact_email",
                 "contact_email_public"):
        setattr(practice, name, getattr(draft, name))
    if practice.published_revision_id is None:  # a public address, once given, stays
        practice.slug = slugify(draft.title)
    practice.primary_group = primary
    # One line: the title goes into mail subjects and the PDF's metadata.
    practice.title = " ".join(draft.title.split())
    practice.confirmed_evidence_level = None
    practice.secondary_groups = _rows(Group, set(draft.secondary_group_ids) - {primary.id})
    practice.partner_regions = _rows(Region, set(draft.partner_region_ids)
                                     - {practice.lead_region_id})
    practice.targets = [PracticeTarget(target=value) for value in sorted(set(draft.targets))]
    practice.organisations = [
        PracticeOrganisation(name=o.name, org_type=o.org_type, is_lead=o.is_lead, position=n)
        for n, o in enumerate(draft.organisations)]
    practice.fundings = [PracticeFunding(source=f.source, measure=f.measure, amount=f.amount,
                                         position=n) for n, f in enumerate(draft.fundings)]
    practice.indicators = [
        PracticeIndicator(name=i.name, unit=i.unit, baseline=i.baseline, target=i.target,
                          achieved=i.achieved, measured_on=i.measured_on, position=n)
        for n, i in enumerate(draft.indicators)]
    practice.links = [PracticeLink(url=url, label=label, position=n)
                      for n, (url, label) in enumerate(draft.links)]


def _rows(model, ids: set[int]) -> list:
    return list(db.session.scalars(select(model).where(model.id.in_(ids)))) if ids else []


def remove_attachment(actor: User, practice: Practice, attachment_id: int) -> None:
    """Take a file off the practice; earlier revisions still list it."""
    if not access.may_edit(actor, practice):
        raise NotPermitted(_("Non puoi modificare questa pratica in questo momento."))
    attachment = attachment_of(practice, attachment_id)
    attachment.removed_at = utcnow()
    if practice.status == Status.PUBLISHED:
        practice.status = Status.DRAFT.value
    check_evidence(practice, practice.evidence_level)
    revision = save_revision(actor, practice)
    record("practice.attachment_removed", actor=actor, region_id=practice.lead_region_id,
           practice=practice.id, revision=revision.number, file=attachment.filename)
    db.session.commit()


def attachment_of(practice: Practice, attachment_id: int) -> PracticeAttachment:
    attachment = db.session.get(PracticeAttachment, attachment_id)
    if attachment is None or attachment.practice_id != practice.id:
        raise NotFound(_("Allegato non trovato."))
    return attachment


def revision_of(practice: Practice, number: int) -> PracticeRevision:
    revision = db.session.scalar(select(PracticeRevision).where(
        PracticeRevision.practice_id == practice.id, PracticeRevision.number == number))
    if revision is None:
        raise NotFound(_("Revisione non trovata."))
    return revision
