"""Entry point: ``flask --app wsgi ...`` and ``python wsgi.py`` (serves HTTP and Socket.IO)."""
import os

from lab import create_app
from lab.extensions import socketio

app = create_app()

if __name__ == "__main__":
    socketio.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 5000)),
                 allow_unsafe_werkzeug=True)
