"""From a group's room to the library: who may turn a message into a practice draft, and which.

The rooms import the library here (never the other way round): the library's form receives
only the message's text, its group and its id.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from lab.accounts.models import User
from lab.core.errors import NotFound, NotPermitted
from lab.extensions import db
from lab.library.access import may_draft
from lab.rooms.models import Message, Room
from lab.rooms.services import room_for


def may_propose(person: User, room: Room) -> bool:
    """Whoever may draft a practice may propose the messages of a group's room they read."""
    return room.group_id is not None and may_draft(person)


def message_to_propose(person: User, room_id: int, seq: int) -> Message:
    """Return a message of a group's room the person reads, to turn into a practice, or refuse."""
    room = room_for(person, room_id)
    if room.group_id is None:
        raise NotPermitted(_("Solo i messaggi delle stanze dei gruppi diventano buone pratiche."))
    message = db.session.scalar(select(Message).where(Message.room_id == room.id,
                                                      Message.seq == seq))
    if message is None or message.deleted_at is not None:
        raise NotFound(_("Messaggio non trovato."))
    return message
