"""The search index: the public version of every published practice, in tables of its own.

Search and facets read only these tables, never the working copy: a published practice that
is under review again keeps, here, the version the public reads. The index changes inside the
transaction that publishes or archives a practice (``public_version_changed``).

The full-text part differs by database and is built by migration 0012 from the term columns:
SQLite keeps an FTS5 table (``practice_search_fts``, external content, kept current by
triggers); PostgreSQL a generated ``tsvector`` column (``document``) with a GIN index.
"""
import enum
import secrets
from datetime import date, datetime
from types import SimpleNamespace

from sqlalchemy import (
    BigInteger, CheckConstraint, ForeignKey, Index, String, Text, delete, func, insert, select,
    text, update,
)
from sqlalchemy.orm import Mapped, mapped_column, selectinload

from lab.extensions import db
from lab.library import signals
from lab.library.models import Practice, PracticeStatus
from lab.library.stemming import terms

FTS_TABLE = "practice_search_fts"
DOCUMENT_COLUMN = "document"
# EU programming periods: what a regional officer files a practice's period under.
PERIODS = (("2007-2013", 2007, 2013), ("2014-2020", 2014, 2020), ("2021-2027", 2021, 2027))


class Facet(enum.StrEnum):
    THEME = "theme"
    REGION = "region"
    TARGET = "target"
    FUNDING = "funding"
    EVIDENCE = "evidence"
    KIND = "kind"
    PERIOD = "period"


class PracticeSearchEntry(db.Model):
    """What search shows and ranks of one public practice, with its text turned into terms."""

    __tablename__ = "practice_search_entries"
    __table_args__ = (
        Index("ix_practice_search_entries_published", "published_at", "practice_id"),
        Index("ix_practice_search_entries_revised", "revised_at", "practice_id"),
    )

    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)  # the other text fields, for snippets
    lead_region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    kind: Mapped[str] = mapped_column(String(20))
    evidence_level: Mapped[int]
    started_year: Mapped[int]
    ended_year: Mapped[int | None]
    published_at: Mapped[datetime]
    revised_at: Mapped[datetime]
    title_terms: Mapped[str] = mapped_column(Text)
    summary_terms: Mapped[str] = mapped_column(Text)
    body_terms: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<PracticeSearchEntry {self.practice_id} {self.slug}>"


class PracticeSearchFacet(db.Model):
    """One facet value of one public practice (a practice has several themes, regions, ...)."""

    __tablename__ = "practice_search_facets"
    __table_args__ = (
        CheckConstraint("facet IN (" + ", ".join(f"'{f.value}'" for f in Facet) + ")",
                        name="facet"),
        Index("ix_practice_search_facets_practice", "practice_id"),
    )

    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(80), primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practice_search_entries.practice_id", ondelete="CASCADE"), primary_key=True)

    def __repr__(self) -> str:
        return f"<PracticeSearchFacet {self.practice_id} {self.facet}={self.value}>"


class PracticeSearchVersion(db.Model):
    """A token that changes with every change to the index, so each process knows its copy is old.

    Random rather than counted: a count could come back to a value a process has already seen.
    """

    __tablename__ = "practice_search_versions"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    token: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"<PracticeSearchVersion {self.token}>"


def mark_changed() -> None:
    """Give the index a new version token (in the caller's transaction)."""
    token = secrets.randbits(62)
    if not db.session.execute(update(PracticeSearchVersion).values(token=token)).rowcount:
        db.session.execute(insert(PracticeSearchVersion).values(id=1, token=token))


def outside_models(name, type_, parent_names) -> bool:
    """Tell Alembic's comparison to skip the full-text structures the models do not describe."""
    if type_ == "table":
        return not (name or "").startswith(FTS_TABLE)
    if type_ == "column" and parent_names.get("table_name") == PracticeSearchEntry.__tablename__:
        return name != DOCUMENT_COLUMN
    return name != "ix_practice_search_entries_document"


def body_text(practice) -> str:
    """Join the practice's other searchable text: its sections, organisations and funding lines."""
    parts = [practice.problem, practice.intervention, practice.lessons,
             practice.transfer_conditions]
    parts += [organisation.name for organisation in practice.organisations]
    parts += [funding.measure for funding in practice.fundings]
    parts += [indicator.name for indicator in practice.indicators]
    return "\n\n".join(part for part in parts if part)


def periods_of(started: int, ended: int | None) -> list[str]:
    """Name the programming periods a practice ran in (an ongoing one runs until this year)."""
    last = ended or date.today().year
    return [name for name, first, final in PERIODS if started <= final and last >= first]


def facet_values(practice) -> list[tuple[str, str]]:
    """List the practice's facet values as (facet, value) pairs."""
    groups = [practice.primary_group, *practice.secondary_groups]
    regions = [practice.lead_region, *practice.partner_regions]
    level = practice.confirmed_evidence_level or practice.evidence_level
    ended = practice.ended_on.year if practice.ended_on else None
    pairs = [(Facet.THEME, group.slug) for group in groups]
    pairs += [(Facet.REGION, region.slug) for region in regions]
    pairs += [(Facet.TARGET, target) for target in practice.target_values]
    pairs += [(Facet.FUNDING, funding.source) for funding in practice.fundings]
    pairs += [(Facet.EVIDENCE, str(level)), (Facet.KIND, practice.kind)]
    pairs += [(Facet.PERIOD, name) for name in periods_of(practice.started_on.year, ended)]
    return sorted({(facet.value, value) for facet, value in pairs})


def entry_row(practice) -> dict:
    """Build the index row of a practice's ``public_version`` (or of a benchmark's stand-in)."""
    body = body_text(practice)
    return {
        "practice_id": practice.id, "slug": practice.slug, "title": practice.title,
        "summary": practice.summary, "body": body, "lead_region_id": practice.lead_region_id,
        "kind": practice.kind,
        "evidence_level": practice.confirmed_evidence_level or practice.evidence_level,
        "started_year": practice.started_on.year,
        "ended_year": practice.ended_on.year if practice.ended_on else None,
        "published_at": practice.published_at or practice.revised_at,
        "revised_at": practice.revised_at,
        "title_terms": " ".join(terms(practice.title)),
        "summary_terms": " ".join(terms(practice.summary)),
        "body_terms": " ".join(terms(body)),
    }


def public_version(practice: Practice) -> SimpleNamespace:
    """Return the practice as its published revision keeps it, with what the index reads.

    Once published, a practice may be changed and reviewed again: its working copy is then not
    what the public reads, so the index is always built from the published snapshot.
    """
    revision = practice.published_revision
    kept = revision.snapshot

    def items(key):
        return [SimpleNamespace(**item) for item in kept[key]]

    def day(value):
        return date.fromisoformat(value) if value else None

    return SimpleNamespace(
        id=practice.id, lead_region_id=practice.lead_region_id,
        published_at=practice.published_at, revised_at=revision.created_at,
        **{key: kept[key] for key in ("slug", "title", "summary", "problem", "intervention",
                                      "lessons", "transfer_conditions", "kind", "evidence_level",
                                      "confirmed_evidence_level")},
        primary_group=SimpleNamespace(**kept["primary_group"]),
        secondary_groups=items("secondary_groups"), lead_region=SimpleNamespace(**kept["lead_region"]),
        partner_regions=items("partner_regions"), target_values=kept["targets"],
        organisations=items("organisations"), fundings=items("fundings"),
        indicators=items("indicators"),
        started_on=day(kept["started_on"]), ended_on=day(kept["ended_on"]))


def index_practice(practice: Practice) -> None:
    """Make the practice's published revision its public version in the index (in the caller's
    transaction)."""
    unindex_practice(practice.id)
    _insert(public_version(practice))


def _insert(version: SimpleNamespace) -> None:
    db.session.execute(insert(PracticeSearchEntry), [entry_row(version)])
    db.session.execute(insert(PracticeSearchFacet), [
        {"facet": facet, "value": value, "practice_id": version.id}
        for facet, value in facet_values(version)])


def unindex_practice(practice_id: int) -> None:
    """Take the practice out of the index (in the caller's transaction); its facets follow.

    The index's version changes here, and so for ``index_practice`` too, which starts here.
    """
    db.session.execute(delete(PracticeSearchEntry).where(
        PracticeSearchEntry.practice_id == practice_id))
    mark_changed()


@signals.public_version_changed.connect
def _follow_public_version(practice: Practice, published: bool) -> None:
    if published:
        index_practice(practice)
    else:
        unindex_practice(practice.id)


def reindex() -> int:
    """Rebuild the index from the published revision of every public practice.

    A practice under review again is indexed as it was published, never as its working copy.
    """
    db.session.execute(delete(PracticeSearchFacet))
    db.session.execute(delete(PracticeSearchEntry))
    public = db.session.scalars(
        select(Practice).where(Practice.published_revision_id.is_not(None),
                               Practice.status != PracticeStatus.ARCHIVED.value)
        .options(selectinload(Practice.published_revision)))
    for practice in public:
        _insert(public_version(practice))
    rebuild_full_text(db.session.connection())
    mark_changed()
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(PracticeSearchEntry))


def rebuild_full_text(connection) -> None:
    """Rebuild SQLite's FTS5 table from the index rows (PostgreSQL's column is generated)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
