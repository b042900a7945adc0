"""The baselines for the benchmarks: a bare python-socketio server, echo or durable.

Same stack as deploy/serve.py (gevent, pywsgi, simple-websocket), same namespace and event
names, but no authentication and no checks. By default it stores nothing and echoes each
message to the room at once: the limit of the stack.

With BARE_DATABASE_URL (PostgreSQL) it is durable, the simplest server that keeps the
platform's promise: each send is one transaction that takes the room's next sequence number
under the room row's lock (``UPDATE ... RETURNING``, which locks the row as
``SELECT ... FOR UPDATE`` would, in one round trip) and inserts the message; the ack and the
broadcast come after the commit. It creates its own two tables, ``bare_rooms`` and
``bare_messages``, and uses the platform's driver and pool size.

With BARE_PAYLOAD=platform it sends, instead of the payload it received, a message of the
platform's shape and size (author, region, HTML and source, dates), and acknowledges with it as
the platform does: the clients then do the same work as with the platform, and the difference
left is the server's own.

    PORT=8101 python bench/rooms_bare.py
    PORT=8101 BARE_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/SCRATCH python bench/rooms_bare.py
"""
from gevent import monkey

monkey.patch_all()

import itertools  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

import socketio  # noqa: E402
from gevent import pywsgi  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import Config, database_url  # noqa: E402

sio = socketio.Server(async_mode="gevent", cors_allowed_origins="*", max_http_buffer_size=64 * 1024)


@sio.on("connect", namespace="/rooms")
def connect(sid, environ, auth=None):
    """Accept everyone."""


SCHEMA = [
    "CREATE TABLE IF NOT EXISTS bare_rooms (id integer PRIMARY KEY, last_seq bigint NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS bare_messages (room_id integer NOT NULL REFERENCES bare_rooms, "
    "seq bigint NOT NULL, client_key text NOT NULL, body text NOT NULL, "
    "created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (room_id, seq))",
]
NEXT_SEQ = text("UPDATE bare_rooms SET last_seq = last_seq + 1 WHERE id = :room RETURNING last_seq")
INSERT = text("INSERT INTO bare_messages (room_id, seq, client_key, body) "
              "VALUES (:room, :seq, :key, :body)")
engine = None
if os.environ.get("BARE_DATABASE_URL"):
    engine = create_engine(database_url(os.environ["BARE_DATABASE_URL"]), pool_pre_ping=True,
                           pool_size=Config.DATABASE_POOL_SIZE,
                           max_overflow=Config.DATABASE_MAX_OVERFLOW,
                           # At saturation the sender keeps 512 messages waiting, more than this
                           # server stores in 30 s (the default) in a room of 200: they wait.
                           pool_timeout=600)
    with engine.begin() as connection:
        for statement in SCHEMA:
            connection.execute(text(statement))


def store(data: dict) -> int:
    """Insert the message with the room's next sequence number, in one transaction."""
    with engine.begin() as connection:
        seq = connection.execute(NEXT_SEQ, {"room": data["room"]}).scalar_one()
        connection.execute(INSERT, {"room": data["room"], "seq": seq, "key": data["key"],
                                    "body": data["body"]})
    return seq


@sio.on("join", namespace="/rooms")
def join(sid, data):
    """Enter the room named in the payload."""
    if engine is not None:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO bare_rooms (id) VALUES (:room) "
                                    "ON CONFLICT DO NOTHING"), {"room": data["room"]})
    sio.enter_room(sid, f"room:{data['room']}", namespace="/rooms")
    return {"ok": True, "messages": []}


PLATFORM_SHAPED = os.environ.get("BARE_PAYLOAD") == "platform"
numbers = itertools.count(1)


def platform_shaped(data: dict) -> dict:
    """A message as the platform sends it (lab/rooms/serialize.py), made up from the payload."""
    return {"room": data["room"], "id": next(numbers), "key": data["key"],
            "author": {"id": 2, "name": "Delegata della Regione", "region_it": "Piemonte",
                       "region_en": "Piedmont"},
            "html": f"<p>{data['body']}</p>", "source": data["body"],
            "created_at": datetime.now(timezone.utc).isoformat(), "edited_at": None,
            "deleted": False}


@sio.on("send", namespace="/rooms")
def send(sid, data):
    """Echo the payload to the room and acknowledge it (once stored, if durable)."""
    if engine is not None:
        message = {**data, "id": store(data)}
        sio.emit("message_posted", message, to=f"room:{data['room']}", namespace="/rooms")
        return {"ok": True, "id": message["id"]}
    if PLATFORM_SHAPED:
        message = platform_shaped(data)
        sio.emit("message_posted", message, to=f"room:{data['room']}", namespace="/rooms")
        return {"ok": True, "room": data["room"], "id": message["id"], "key": data["key"],
                "message": message, "duplicate": False}
    sio.emit("message_posted", data, to=f"room:{data['room']}", namespace="/rooms")
    return {"ok": True}


@sio.on("healthz")
def healthz(sid):
    return "ok"


def health(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


app = socketio.WSGIApp(sio, health)

def listener(port: int) -> socket.socket:
    """The same listening socket as deploy/serve.py's (TCP_NODELAY passed on to connections)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(1024)
    return sock


if __name__ == "__main__":
    pywsgi.WSGIServer(listener(int(os.environ.get("PORT", 8101))), app, log=None).serve_forever()
