"""Serve the platform in production: one process, one gevent worker, HTTP and Socket.IO.

WebSocket comes from simple-websocket (python-engineio uses it under gevent when
gevent-websocket is absent), so no unmaintained package is needed. Run one of these per CPU
behind nginx (deploy/nginx.conf), all with the same SOCKETIO_MESSAGE_QUEUE=redis://... and
DATABASE_URL on PostgreSQL; ``make cluster`` does it on this machine.

    HOST=127.0.0.1 PORT=8001 python deploy/serve.py
"""
from gevent import monkey

monkey.patch_all()  # before anything else opens a socket or a thread

import gc  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gevent import pywsgi  # noqa: E402

from lab import create_app  # noqa: E402
from lab.core.database import in_arrival_order  # noqa: E402
from lab.library.bitsets import warm_up  # noqa: E402

def listener(host: str, port: int) -> socket.socket:
    """Open the listening socket, with Nagle's algorithm off for the connections it accepts.

    Socket.IO sends many small frames (acks, one message to each member); with Nagle on, a
    small frame can wait for the peer's delayed ACK, up to 40 ms. Linux passes TCP_NODELAY on
    from the listening socket to every accepted one.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def main() -> None:
    """Build the app and serve it until stopped."""
    app = create_app(overrides={"SOCKETIO_ASYNC_MODE": "gevent"})
    warm_up(app)
    # What the start built lives as long as the process. Frozen, it is left out of the cycle
    # collector's full passes, which stop the event loop: 8-40 ms each instead of 100-220 ms
    # under bench/rooms_fanout.py (room of 50).
    gc.collect()
    gc.freeze()
    host, port = app.config["HOST"], app.config["PORT"]
    app.logger.info("Laboratorio (gevent) on http://%s:%s", host, port)
    log = "default" if app.config["ACCESS_LOG"] else None
    # What socketio.run() does under gevent, with our listening socket.
    pywsgi.WSGIServer(listener(host, port), in_arrival_order(app, app.config),
                      log=log).serve_forever()


if __name__ == "__main__":
    main()
