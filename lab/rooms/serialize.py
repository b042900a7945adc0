"""The one shape a message has for clients, over Socket.IO and HTTP alike, and its item on a
room's page."""
import functools
from datetime import datetime
from typing import NamedTuple

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import bindparam, select

from lab.accounts.models import Region, User
from lab.extensions import db
from lab.rooms import bp
from lab.rooms.models import Message, html_to_show


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


class ShownMessage(NamedTuple):
    """All that a message's item on a room's page shows (rooms.js builds the same markup)."""

    room_id: int
    seq: int
    author_id: int
    author_name: str
    region_it: str | None
    region_en: str | None
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    source: str
    html: Markup  # made and sanitized by ``render_markdown``


def shown_message(message: Message) -> ShownMessage:
    return _shown(message.room_id, message.seq, message.author_id, message.author.full_name,
                  message.author_region_id, message.created_at, message.edited_at,
                  message.deleted_at, message.body_source, message.body_html, message.html_version)


def _shown(room_id, seq, author_id, author_name, region_id, created_at, edited_at, deleted_at,
           source, html, html_version) -> ShownMessage:
    region_it, region_en = region_names(region_id) if region_id else (None, None)
    deleted = deleted_at is not None
    return ShownMessage(room_id, seq, author_id, author_name, region_it, region_en, created_at,
                        edited_at, deleted, "" if deleted else source,
                        Markup("" if deleted else html_to_show(source, html, html_version)))


# A room's latest messages as its page shows them, read as rows in one statement built once:
# 1.33 ms of CPU read as messages with their authors and made into items' data, 0.59 ms as rows
# (the benchmark's room of 60, the same 50 items, alternating 5 x 100 in one process, load 12).
_LATEST_SHOWN = (select(Message.room_id, Message.seq, Message.author_id, User.full_name,
                        Message.author_region_id, Message.created_at, Message.edited_at,
                        Message.deleted_at, Message.body_source, Message.body_html,
                        Message.html_version)
                 .join(User, User.id == Message.author_id)
                 .where(Message.room_id == bindparam("room_id"))
                 .order_by(Message.seq.desc()).limit(bindparam("limit")))


def latest_shown(room_id: int, limit: int) -> tuple[list[ShownMessage], bool]:
    """Return a room's latest messages as its page shows them, oldest first, and whether older
    ones exist."""
    rows = db.session.execute(_LATEST_SHOWN, {"room_id": room_id, "limit": limit + 1}).all()
    return [_shown(*row) for row in reversed(rows[:limit])], len(rows) > limit


@bp.app_template_global()
def message_items(messages: list[Message], may_propose: bool) -> Markup:
    """Return the messages' items on a room's page, each rendered once per all that it shows."""
    return shown_items([shown_message(message) for message in messages], may_propose)


@bp.app_template_global()
def shown_items(messages: list[ShownMessage], may_propose: bool) -> Markup:
    """Return the items of messages as ``latest_shown`` gives them."""
    locale, script_root = str(get_locale()), request.script_root
    return Markup("").join(rendered_item(message, may_propose, locale, script_root)
                           for message in messages)


# Kept under all that the item shows, so an edit, a deletion or an author's new name makes a new
# item: a room's page shows the same latest messages to everyone who opens it. /rooms/<id> with
# 50 messages cost 29.7 ms of CPU with the items (and their moments) emptied before each
# request, 13.5 ms kept (bench/pages.py --fast-paths, the same process alternating, load 4-6).
@functools.lru_cache(maxsize=2048)
def rendered_item(message: ShownMessage, may_propose: bool, locale: str, script_root: str) -> Markup:
    return Markup(render_template("rooms/_message.html", message=message, may_propose=may_propose))
