"""Reminder mail a few days before an event, once per registered person."""
from datetime import timedelta

from sqlalchemy import select

from lab.core.timeutil import utcnow
from lab.events import mails
from lab.events.models import Event, Registration, State, Status
from lab.extensions import db


def send_reminders(days: int) -> int:
    """Mail every registered person of a published event starting within ``days`` days.

    Each registration is reminded once (``reminded_at``), so running it again, from cron or
    by hand, sends nothing new; two runs at once skip each other's rows (PostgreSQL).
    """
    now = utcnow()
    due = db.session.scalars(
        select(Registration).join(Event)
        .where(Registration.status == Status.REGISTERED.value,
               Registration.reminded_at.is_(None), Event.state == State.PUBLISHED.value,
               Event.starts_at > now, Event.starts_at <= now + timedelta(days=days))
        .order_by(Registration.id).with_for_update(of=Registration, skip_locked=True)).all()
    for registration in due:
        mails.notify_registration(registration, "reminder")
        registration.reminded_at = now
    db.session.commit()
    return len(due)
