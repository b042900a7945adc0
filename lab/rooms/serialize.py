"""The one shape a message has for clients, over Socket.IO and HTTP alike."""
import functools

from lab.accounts.models import Region
from lab.extensions import db
from lab.rooms.models import Message


def iso(moment) -> str | None:
    """Write a naive-UTC time as ISO 8601 with its Z."""
    return moment.isoformat(timespec="milliseconds") + "Z" if moment else None


@functools.cache
def region_names(region_id: int) -> tuple[str, str]:
    """Return a region's Italian and English names (reference data, never changed at run time)."""
    region = db.session.get(Region, region_id)
    return region.name_it, region.name_en


def message_json(message: Message) -> dict:
    """Return a message as clients see it; a deleted message keeps only its place."""
    region_it, region_en = region_names(message.author_region_id) if message.author_region_id else (None, None)
    deleted = message.deleted_at is not None
    return {
        "room": message.room_id,
        "id": message.seq,
        "key": message.client_key,
        "author": {
            "id": message.author_id,
            "name": message.author.full_name,
            "region_it": region_it,
            "region_en": region_en,
        },
        "html": "" if deleted else message.current_html(),
        "source": "" if deleted else message.body_source,
        "created_at": iso(message.created_at),
        "edited_at": iso(message.edited_at),
        "deleted": deleted,
    }


def new_message_json(row: dict, author_name: str) -> dict:
    """Return a message just inserted (``row`` holds its columns) as clients see it."""
    region_it, region_en = region_names(row["author_region_id"]) if row["author_region_id"] else (None, None)
    return {
        "room": row["room_id"],
        "id": row["seq"],
        "key": row["client_key"],
        "author": {"id": row["author_id"], "name": author_name,
                   "region_it": region_it, "region_en": region_en},
        "html": row["body_html"],
        "source": row["body_source"],
        "created_at": iso(row["created_at"]),
        "edited_at": None,
        "deleted": False,
    }
