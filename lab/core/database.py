"""Database settings that SQLAlchemy cannot express in a URL."""
import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def engine_options(config) -> dict:
    """Return the engine's options: connections checked before use, and the pool's size.

    On PostgreSQL under gevent, many greenlets want a connection at once; a pool smaller than
    that keeps opening and closing overflow connections, which costs both sides a lot more
    than the queries. Size it so that every process's pool together stays below the server's
    ``max_connections`` (100 by default: with 20 per process, five processes).
    """
    options = {"pool_pre_ping": True}
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options.update(pool_size=config["DATABASE_POOL_SIZE"],
                       max_overflow=config["DATABASE_MAX_OVERFLOW"],
                       pool_timeout=config["DATABASE_POOL_TIMEOUT"])
    return options


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """Enforce foreign keys on SQLite and let readers and a writer work at once (WAL)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()
