"""The one shape a message has for clients, over Socket.IO and HTTP alike."""
from lab.rooms.models import Message


def iso(moment) -> str | None:
    """Write a naive-UTC time as ISO 8601 with its Z."""
    return moment.isoformat(timespec="milliseconds") + "Z" if moment else None


def message_json(message: Message) -> dict:
    """Return a message as clients see it; a deleted message keeps only its place."""
    region = message.author_region
    deleted = message.deleted_at is not None
    return {
        "room": message.room_id,
        "id": message.seq,
        "key": message.client_key,
        "author": {
            "id": message.author_id,
            "name": message.author.full_name,
            "region_it": region.name_it if region else None,
            "region_en": region.name_en if region else None,
        },
        "html": "" if deleted else message.body_html,
        "source": "" if deleted else message.body_source,
        "created_at": iso(message.created_at),
        "edited_at": iso(message.edited_at),
        "deleted": deleted,
    }
