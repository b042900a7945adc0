"""The baseline for the benchmarks: a bare python-socketio server that only echoes to the room.

Same stack as deploy/serve.py (gevent, pywsgi, simple-websocket), same namespace and event
names, but no authentication, no database, no checks.

With BARE_PAYLOAD=platform it sends, instead of the payload it received, a message of the
platform's shape and size (author, region, HTML and source, dates), and acknowledges with it as
the platform does: the clients then do the same work as with the platform, and the difference
left is the server's own.

    PORT=8101 python bench/rooms_bare.py
"""
from gevent import monkey

monkey.patch_all()

import itertools  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

import socketio  # noqa: E402
from gevent import pywsgi  # noqa: E402

sio = socketio.Server(async_mode="gevent", cors_allowed_origins="*", max_http_buffer_size=64 * 1024)


@sio.on("connect", namespace="/rooms")
def connect(sid, environ, auth=None):
    """Accept everyone."""


@sio.on("join", namespace="/rooms")
def join(sid, data):
    """Enter the room named in the payload."""
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
    """Echo the payload to the room and acknowledge it."""
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
