"""Entry point: ``flask --app wsgi ...`` and ``python wsgi.py`` (serves HTTP and Socket.IO, and
runs the background jobs in the same process, so ``make run`` needs no other service)."""
from lab import create_app
from lab.core import jobs
from lab.extensions import socketio
from lab.library.bitsets import warm_up

app = create_app()

if __name__ == "__main__":
    warm_up(app)
    jobs.start_worker(app)
    socketio.run(app, host=app.config["HOST"], port=app.config["PORT"], allow_unsafe_werkzeug=True)
