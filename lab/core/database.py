"""Database settings that SQLAlchemy cannot express in a URL, and the line requests wait in
for the pool's connections."""
import sqlite3
import threading
from collections import deque

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Socket.IO's requests (deploy/nginx.conf's location): a WebSocket or a long poll lasts as long
# as the client stays, so it must not hold a place in the line.
SOCKETS_PATH = "/socket.io/"


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


class ArrivalLine:
    """At most ``places`` holders at once; the others wait, and a place given back goes
    straight to whoever has waited longest.

    The pool's own queue (and gevent's Semaphore) give a freed connection to whichever caller
    asks first: under a burst, a request that has just arrived takes it ahead of one that has
    waited for seconds, and some wait out ``DATABASE_POOL_TIMEOUT`` and fail (bench/README.md,
    events, fifth round).
    """

    def __init__(self, places: int):
        self._free = places
        self._waiting: deque[threading.Event] = deque()
        self._mutex = threading.Lock()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def enter(self, timeout: float | None = None) -> bool:
        """Take a place, waiting behind those who came first; False if ``timeout`` ran out."""
        with self._mutex:
            if self._free:
                self._free -= 1
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed a place just as the wait ran out
                return True
            self._waiting.remove(turn)
            return False

    def leave(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._free += 1


def in_arrival_order(wsgi_app, config):
    """Run at most as many requests at once as the pool has connections; the rest wait in
    arrival order (Socket.IO's requests pass).

    Inside, no request waits for a connection, so the pool cannot serve them out of order. One
    that waited ``DATABASE_POOL_TIMEOUT`` in line goes on to the pool, which answers it 503 if
    no connection comes free in time either (lab.core.errors). A place is held while the app
    builds the answer, whose connection Flask gives back before returning it: not while the
    server sends it, so clients that read slowly keep nobody waiting.
    """
    line = ArrivalLine(config["DATABASE_POOL_SIZE"] + config["DATABASE_MAX_OVERFLOW"])
    timeout = config["DATABASE_POOL_TIMEOUT"]

    def queued(environ, start_response):
        if environ.get("PATH_INFO", "").startswith(SOCKETS_PATH) or not line.enter(timeout):
            return wsgi_app(environ, start_response)
        try:
            return wsgi_app(environ, start_response)
        finally:
            line.leave()

    return queued
