"""From a room to the library: a group member turns a message into a practice draft."""
from flask_babel import gettext as _

from lab.accounts.models import User
from lab.core.errors import NotFound
from lab.extensions import db
from lab.rooms.models import Message
from lab.rooms.services import can_read

TITLE_MAX = 200


def message_prefill(person: User, message_id: int) -> dict:
    """Return the form's first data from a message the person may read, or say it is not found."""
    message = db.session.get(Message, message_id)
    if message is None or message.deleted_at is not None or not can_read(person, message.room):
        raise NotFound(_("Messaggio non trovato."))
    text = message.body_source.strip()
    first_line = text.splitlines()[0].lstrip("#>*- ").strip() if text else ""
    return {"title": first_line[:TITLE_MAX], "summary": text[:3000], "intervention": text,
            "primary_group": message.room.group_id}
