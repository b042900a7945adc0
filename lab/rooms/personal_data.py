"""The rooms' part of a person's data export: the messages they wrote."""
from sqlalchemy import select

from lab.accounts.signals import personal_data_requested
from lab.extensions import db
from lab.rooms.models import Message


@personal_data_requested.connect
def _messages_written(person, **_extra) -> dict:
    messages = db.session.scalars(
        select(Message).where(Message.author_id == person.id).order_by(Message.id))
    return {"messages": [
        {"room": m.room_id, "id": m.seq, "text": m.body_source,
         "created_at": m.created_at.isoformat(),
         "edited_at": m.edited_at.isoformat() if m.edited_at else None,
         "deleted_at": m.deleted_at.isoformat() if m.deleted_at else None}
        for m in messages]}
