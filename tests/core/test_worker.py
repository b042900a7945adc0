"""Production's consumer process, ``flask --app wsgi jobs worker``, sends what the app queued."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from lab.core.mail import send_mail

ROOT = Path(__file__).resolve().parents[2]


def worker_env(app, smtp) -> dict[str, str]:
    """The worker on the same queue (the suite's SQLite file, or TEST_REDIS_URL) and mail sink."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("TEST_DATABASE_URL", "TEST_REDIS_URL", "FLASK_APP")}
    env.update({
        "LAB_CONFIG": "development", "LAB_INSTANCE_DIR": str(app.config["INSTANCE_DIR"]),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "JOBS_REDIS_URL": app.config["JOBS_REDIS_URL"] or "", "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port), "PYTHONUNBUFFERED": "1",
    })
    return env


def test_the_consumer_process_sends_queued_mail_and_stops_on_sigterm(app, smtp, job_queue,
                                                                     tmp_path):
    send_mail("consumatore@example.org", "Prova", "Ciao")
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen(
            [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "jobs", "worker"],
            cwd=ROOT, env=worker_env(app, smtp), stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while (not smtp.to("consumatore@example.org") and worker.poll() is None
               and time.monotonic() < deadline):
            time.sleep(0.1)
        assert len(smtp.to("consumatore@example.org")) == 1, log.read_text()[-3000:]
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert worker.returncode == 0, log.read_text()[-3000:]
