"""The core's tables: background jobs that failed every attempt, and the public data's version."""
from datetime import datetime

from sqlalchemy import BigInteger, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lab.core.timeutil import utcnow
from lab.extensions import db


class JobFailure(db.Model):
    """A job that failed every attempt, kept until a platform admin retries or dismisses it."""

    __tablename__ = "job_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300))
    # The job's arguments pickled, as the queue itself stores them; only our code writes them.
    arguments: Mapped[bytes] = mapped_column(LargeBinary)
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<JobFailure {self.id} {self.job}>"


class DataVersion(db.Model):
    """The public data's version: one row, moved by every commit that changes what a public page
    may show (lab/core/changes.py), so that pages kept under it are never served stale."""

    __tablename__ = "data_versions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)

    def __repr__(self) -> str:
        return f"<DataVersion {self.version}>"
