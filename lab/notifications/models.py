"""What each person wants to be told by email; a person without a row gets the defaults."""
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from lab.core.timeutil import utcnow
from lab.extensions import db

# The kinds of notice, each of which a person may turn off.
KINDS = ("join_requests", "decisions", "appointments", "mentions", "pact_entries")


class NotificationSettings(db.Model):
    """One person's choices: each kind on or off, and mentions one by one or in a daily digest."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    join_requests: Mapped[bool] = mapped_column(default=True)
    decisions: Mapped[bool] = mapped_column(default=True)
    appointments: Mapped[bool] = mapped_column(default=True)
    mentions: Mapped[bool] = mapped_column(default=True)
    mention_digest: Mapped[bool] = mapped_column(default=False)
    pact_entries: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<NotificationSettings user={self.user_id}>"
