"""Good practices: the structured record, its revisions and its review history.

A practice is one row that its author keeps working on (the working copy) and a list of
revisions, one per saved change. What the public sees is the revision that was last published
(``published_revision``), so a published practice can go through review again while the
version the public reads stays as it was.
"""
import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON, CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lab.accounts.models import Region, User
from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.groups.models import Group


def _values(enum_class) -> str:
    return ", ".join(f"'{member.value}'" for member in enum_class)


class PracticeKind(enum.StrEnum):
    GOOD_PRACTICE = "good_practice"
    LESSON = "lesson"  # learning from a practice that did not work


class PracticeStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class TargetGroup(enum.StrEnum):
    OLDER_PEOPLE = "older_people"
    DISABILITIES = "disabilities"
    MINORS_FAMILIES = "minors_families"
    POVERTY = "poverty"
    MIGRANTS = "migrants"
    UNEMPLOYED = "unemployed"
    CARE_WORKERS = "care_workers"
    COMMUNITY = "community"


class Scale(enum.StrEnum):
    MUNICIPAL = "municipal"
    DISTRICT = "district"  # ambito territoriale
    PROVINCIAL = "provincial"
    REGIONAL = "regional"
    INTERREGIONAL = "interregional"


class OrganisationType(enum.StrEnum):
    PUBLIC_BODY = "public_body"
    THIRD_SECTOR = "third_sector"
    SOCIAL_ENTERPRISE = "social_enterprise"
    COMPANY = "company"
    FOUNDATION = "foundation"
    UNIVERSITY = "university"


class FundingSource(enum.StrEnum):
    FSE = "fse"  # FSE / FSE+
    FESR = "fesr"
    PNRR = "pnrr"
    FSC = "fsc"
    REGIONAL_BUDGET = "regional_budget"
    LOCAL_BUDGET = "local_budget"
    FOUNDATION = "foundation"
    PRIVATE = "private"
    IMPACT_FINANCE = "impact_finance"


class AttachmentRole(enum.StrEnum):
    DOCUMENT = "document"
    EVALUATION = "evaluation"  # the evaluation that evidence levels 3 and 4 require


# Evidence levels the author may declare; 5 ("replicated with results in another region") is
# reserved for a later computation from replications and is never typed in.
DECLARABLE_EVIDENCE_LEVELS = (1, 2, 3, 4)


class Practice(db.Model):
    """A good practice (or a lesson from one that did not work): the author's working copy."""

    __tablename__ = "practices"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(PracticeKind)})", name="kind"),
        CheckConstraint(f"status IN ({_values(PracticeStatus)})", name="status"),
        CheckConstraint(f"scale IN ({_values(Scale)})", name="scale"),
        CheckConstraint("evidence_level BETWEEN 1 AND 4", name="evidence_level"),
        CheckConstraint("confirmed_evidence_level IS NULL OR confirmed_evidence_level "
                        "BETWEEN 1 AND evidence_level", name="confirmed_evidence_level"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),
        CheckConstraint("contact_email IS NOT NULL OR NOT contact_email_public",
                        name="public_email_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    problem: Mapped[str] = mapped_column(Text, default="")
    intervention: Mapped[str] = mapped_column(Text, default="")  # Markdown
    lessons: Mapped[str] = mapped_column(Text, default="")
    transfer_conditions: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default=PracticeKind.GOOD_PRACTICE.value)
    status: Mapped[str] = mapped_column(String(20), default=PracticeStatus.DRAFT.value, index=True)

    primary_group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    lead_region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    scale: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)  # empty while the practice is ongoing

    evidence_level: Mapped[int] = mapped_column(default=1)  # as the author declares it
    evidence_justification: Mapped[str] = mapped_column(Text, default="")
    # Set by the coordinator at approval: the declared level, or a lower one.
    confirmed_evidence_level: Mapped[int | None]

    contact_role: Mapped[str] = mapped_column(String(200), default="")
    contact_office: Mapped[str] = mapped_column(String(300), default="")
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # A private person's address is shown only if its owner ticked that it may be.
    contact_email_public: Mapped[bool] = mapped_column(default=False)

    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revised_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]  # first publication
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_revisions.id", use_alter=True))
    # The room message it was proposed from, if any.
    source_message_id: Mapped[int | None] = mapped_column(ForeignKey("room_messages.id"))
    demo: Mapped[bool] = mapped_column(default=False)

    primary_group: Mapped[Group] = relationship()
    lead_region: Mapped[Region] = relationship()
    author: Mapped[User] = relationship()
    secondary_groups: Mapped[list[Group]] = relationship(secondary="practice_groups")
    partner_regions: Mapped[list[Region]] = relationship(secondary="practice_partner_regions")
    targets: Mapped[list["PracticeTarget"]] = relationship(cascade="all, delete-orphan")
    organisations: Mapped[list["PracticeOrganisation"]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeOrganisation.position")
    fundings: Mapped[list["PracticeFunding"]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeFunding.position")
    indicators: Mapped[list["PracticeIndicator"]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeIndicator.position")
    attachments: Mapped[list["PracticeAttachment"]] = relationship(
        order_by="PracticeAttachment.uploaded_at")
    links: Mapped[list["PracticeLink"]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeLink.position")
    revisions: Mapped[list["PracticeRevision"]] = relationship(
        foreign_keys="PracticeRevision.practice_id", order_by="PracticeRevision.number",
        back_populates="practice")
    published_revision: Mapped["PracticeRevision | None"] = relationship(
        foreign_keys=[published_revision_id], post_update=True)
    reviews: Mapped[list["PracticeReview"]] = relationship(order_by="PracticeReview.created_at")
    source_message = relationship("Message")  # lab.rooms.models, named so as not to import it

    @property
    def target_values(self) -> list[str]:
        return [target.target for target in self.targets]

    def __repr__(self) -> str:
        return f"<Practice {self.id} {self.slug} {self.status}>"


practice_groups = db.Table(
    "practice_groups",
    db.Column("practice_id", ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
    db.Column("group_id", ForeignKey("groups.id"), primary_key=True),
)

practice_partner_regions = db.Table(
    "practice_partner_regions",
    db.Column("practice_id", ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
    db.Column("region_id", ForeignKey("regions.id"), primary_key=True),
)


class PracticeTarget(db.Model):
    """One target group a practice serves."""

    __tablename__ = "practice_targets"
    __table_args__ = (CheckConstraint(f"target IN ({_values(TargetGroup)})", name="target"),)

    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True)
    target: Mapped[str] = mapped_column(String(20), primary_key=True)

    def __repr__(self) -> str:
        return f"<PracticeTarget {self.practice_id} {self.target}>"


class PracticeOrganisation(db.Model):
    """The lead organisation or a partner, with its type."""

    __tablename__ = "practice_organisations"
    __table_args__ = (CheckConstraint(f"org_type IN ({_values(OrganisationType)})",
                                      name="org_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    org_type: Mapped[str] = mapped_column(String(20))
    is_lead: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<PracticeOrganisation {self.practice_id} {self.name!r}>"


class PracticeFunding(db.Model):
    """A funding line: its source, the measure or call by name, and the amount in euro."""

    __tablename__ = "practice_fundings"
    __table_args__ = (
        CheckConstraint(f"source IN ({_values(FundingSource)})", name="source"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    measure: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<PracticeFunding {self.practice_id} {self.source} {self.amount}>"


class PracticeIndicator(db.Model):
    """A result indicator with its unit, baseline, target and achieved value."""

    __tablename__ = "practice_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(60), default="")
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(16, 4))
    target: Mapped[Decimal | None] = mapped_column(Numeric(16, 4))
    achieved: Mapped[Decimal | None] = mapped_column(Numeric(16, 4))
    measured_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<PracticeIndicator {self.practice_id} {self.name!r}>"


class PracticeAttachment(db.Model):
    """A file attached to a practice; its type is read from its content, not its name."""

    __tablename__ = "practice_attachments"
    __table_args__ = (CheckConstraint(f"role IN ({_values(AttachmentRole)})", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))  # as uploaded, shown to readers
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    mimetype: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    role: Mapped[str] = mapped_column(String(20), default=AttachmentRole.DOCUMENT.value)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<PracticeAttachment {self.practice_id} {self.filename!r}>"


class PracticeLink(db.Model):
    """A link to a page about the practice."""

    __tablename__ = "practice_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    label: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<PracticeLink {self.practice_id} {self.url!r}>"


class PracticeRevision(db.Model):
    """The whole record as it was after one saved change (a JSON snapshot), numbered from 1."""

    __tablename__ = "practice_revisions"
    __table_args__ = (UniqueConstraint("practice_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    number: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(20))  # the practice's status when saved
    snapshot: Mapped[dict] = mapped_column(JSON)

    practice: Mapped[Practice] = relationship(foreign_keys=[practice_id],
                                              back_populates="revisions")
    author: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PracticeRevision {self.practice_id}#{self.number}>"


class PracticeReview(db.Model):
    """One step of the workflow (submit, request changes, approve, publish, ...) with a comment."""

    __tablename__ = "practice_reviews"
    __table_args__ = (Index("ix_practice_reviews_practice_created", "practice_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("practice_revisions.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PracticeReview {self.practice_id} {self.action}>"
