"""The core's one table: background jobs that failed every attempt."""
from datetime import datetime

from sqlalchemy import LargeBinary, String, Text
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
