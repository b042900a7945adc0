"""Pact versions, the append-only register (ledger) of adhesions and withdrawals, and the
signed checkpoints of its head."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lab.core.timeutil import utcnow
from lab.extensions import db

GENESIS_HASH = "0" * 64


class PactVersion(db.Model):
    __tablename__ = "pact_versions"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'superseded')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    text_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<PactVersion {self.number} {self.status}>"


class LedgerEntry(db.Model):
    """One adhesion or withdrawal. Rows are only ever inserted; triggers refuse the rest.

    Which columns the hash covers and how verification checks the others: lab/pact/integrity.py.
    """

    __tablename__ = "pact_ledger"
    __table_args__ = (
        CheckConstraint("kind IN ('adhesion', 'withdrawal')", name="kind"),
        CheckConstraint("seq > 0", name="seq_positive"),
        Index("ix_pact_ledger_region_code_seq", "region_code", "seq"),
    )

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(12))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    region_code: Mapped[str] = mapped_column(String(3))
    version_id: Mapped[int] = mapped_column(ForeignKey("pact_versions.id"))
    version_number: Mapped[int]
    text_hash: Mapped[str] = mapped_column(String(64))
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(120))
    signer_title: Mapped[str] = mapped_column(String(200))
    mandate_act: Mapped[str] = mapped_column(String(300))
    place: Mapped[str] = mapped_column(String(120))
    event: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    demo: Mapped[bool] = mapped_column(default=False)
    signed_at: Mapped[datetime] = mapped_column(index=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)

    # Reached through the hashed code and number, never the unhashed ids: what a page shows
    # is then what the hash covers (lab/pact/integrity.py checks the ids agree with them).
    region = relationship("Region", viewonly=True,
                          primaryjoin="foreign(LedgerEntry.region_code) == Region.istat_code")
    version: Mapped[PactVersion] = relationship(
        primaryjoin="foreign(LedgerEntry.version_number) == PactVersion.number", viewonly=True)

    def __repr__(self) -> str:
        return f"<LedgerEntry {self.seq} {self.kind} {self.region_code}>"


class Checkpoint(db.Model):
    """The ledger's head (sequence number and hash) signed with the platform's Ed25519 key."""

    __tablename__ = "pact_checkpoints"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    head_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime]
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))

    def __repr__(self) -> str:
        return f"<Checkpoint {self.seq} {self.head_hash[:12]}>"
