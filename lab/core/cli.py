"""``flask --app wsgi jobs ...``: the background jobs' consumer."""
import logging

from flask import current_app
from flask.cli import AppGroup

from lab.core import jobs

jobs_cli = AppGroup("jobs", help="Background jobs (mail).")


@jobs_cli.command("worker")
def worker() -> None:
    """Run queued jobs until stopped: production's consumer process."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # SIGTERM (systemd, cluster.sh) lets the jobs in hand finish; a mail takes at most the
    # SMTP timeout of 10 s.
    consumer = jobs.queue(current_app).create_consumer(
        workers=current_app.config["JOBS_WORKERS"], worker_type="thread",
        graceful_signal="TERM", shutdown_timeout=30)
    consumer.run()
