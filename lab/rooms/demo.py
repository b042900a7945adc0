"""Demo rooms: the Laboratory's room and the groups' rooms, with a first exchange."""
import uuid

from sqlalchemy import select

from lab.accounts.services import user_by_email
from lab.extensions import db
from lab.groups.queries import all_groups, group_by_slug
from lab.rooms import messages, services
from lab.rooms.models import Message

DEMO_EXCHANGE = [
    ("firma.piemonte@laboratorio.example",
     "Benvenuti nella stanza del gruppo! Qui prepariamo il confronto sulle **politiche di "
     "prossimità**: chi vuole presentare un'esperienza della propria Regione?"),
    ("delegata.toscana@laboratorio.example",
     "Grazie @Elena Bianchi. La Toscana può raccontare il progetto sulle *botteghe della salute*."),
]


def load() -> list[str]:
    """Create every room that exists once, and the demo exchange if the room is empty."""
    services.laboratory_room()
    for group in all_groups():
        services.group_room(group)
    room = services.group_room(group_by_slug("prossimita-domiciliarita"))
    if db.session.scalar(select(Message.id).where(Message.room_id == room.id).limit(1)) is None:
        for email, body in DEMO_EXCHANGE:
            author = user_by_email(email)
            if author is not None and services.can_read(author, room):
                messages.post_message(author, room.id, body, uuid.uuid4().hex)
    return ["Demo rooms: the Laboratory's room and one room per group."]
