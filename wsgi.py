"""Entry point: ``flask --app wsgi ...`` and ``python wsgi.py`` (serves HTTP and Socket.IO, and
runs the background jobs in the same process, so ``make run`` needs no other service)."""
import os

from lab import create_app
from lab.core import jobs
from lab.extensions import socketio

app = create_app()

if __name__ == "__main__":
    jobs.start_worker(app)
    socketio.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 5000)),
                 allow_unsafe_werkzeug=True)
