"""The public data's version: one counter in the database that every change to what a public
page may show moves, in the same transaction as the change.

Any session's commit that wrote a table outside ``PRIVATE_TABLES`` (through the ORM or a
statement) moves it just before committing, so the new version and the new data become visible
together, to every process: a page kept under the version it was rendered at (lab/core/
pagecache.py) is served only while nothing it may show has changed. Tables no public page shows
are left out, so that chat, sessions and the audit log do not empty the kept pages.
"""
from itertools import chain

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from lab.core.models import DataVersion
from lab.extensions import db

PRIVATE_TABLES = frozenset({
    "data_versions", "user_sessions", "two_factor_settings", "recovery_codes", "invitations",
    "audit_entries", "notification_settings", "job_failures", "rooms", "room_messages",
    "room_message_edits", "room_read_states", "room_mutes", "room_mentions",
})
# Columns of public tables that no page shows: a sign-in writes one, and must not empty every kept page.
PRIVATE_COLUMNS = {"users": frozenset({"last_sign_in_at"})}
_CHANGED = "public_data_changed"  # in Session.info until the transaction ends

READ_VERSION = select(DataVersion.version).where(DataVersion.id == 1)
MOVE_VERSION = update(DataVersion).where(DataVersion.id == 1).values(
    version=DataVersion.version + 1)


def public_version() -> int:
    """Read the public data's version, on a connection of its own: read before the page's data,
    it is never newer than what the page shows.

    Not through the request's session, which a kept page then never starts: 203 us of CPU a
    read against 507 us through the session (the demo data on SQLite, 3 x 2,000 reads
    alternating, load average 10).
    """
    with db.engine.connect() as connection:
        return connection.execute(READ_VERSION).scalar_one()


def _public(instance) -> bool:
    return any(table.name not in PRIVATE_TABLES for table in inspect(instance).mapper.tables)


def _publicly_modified(instance) -> bool:
    """Whether a loaded row changed in a column some page may show."""
    state = inspect(instance)
    private = frozenset().union(*(PRIVATE_COLUMNS.get(table.name, ()) for table in state.mapper.tables))
    return any(attribute.history.has_changes() for attribute in state.attrs
               if attribute.key not in private)


@event.listens_for(Session, "before_flush")
def _note_flushed_changes(session, flush_context, instances) -> None:
    if (any(_public(instance) for instance in chain(session.new, session.deleted))
            or any(_public(instance) and _publicly_modified(instance)
                   for instance in session.dirty)):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement_changes(state) -> None:
    """Note an insert, update or delete statement; a statement naming no table (text) counts
    as a change too, since what it writes cannot be told."""
    if state.is_select:
        return
    table = getattr(state.statement, "table", None)
    if table is None or getattr(table, "name", None) not in PRIVATE_TABLES:
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _move_version(session) -> None:
    session.flush()  # the commit would flush what is pending only after this hook: see it now
    if session.info.pop(_CHANGED, False):
        session.execute(MOVE_VERSION)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session) -> None:
    session.info.pop(_CHANGED, None)
