"""Background jobs (mail first): a Huey queue, embedded in development and in Redis in production.

A service asks for a job with ``enqueue(func, *args)`` inside its transaction; the queue gets it
only once that transaction commits, and a rollback drops it. Asked for when nothing has been
written since the last commit (after a service's commit, say), it goes to the queue at once. The queue lives in an SQLite file
under ``instance/`` unless ``JOBS_REDIS_URL`` is set. ``python wsgi.py`` runs the jobs in a
thread of its own process (``start_worker``); production runs ``flask --app wsgi jobs worker``.
A job is retried with growing waits, and one that fails every attempt is kept in
``job_failures`` for a platform admin to retry or dismiss.
"""
import pickle
import threading
import time
from dataclasses import dataclass
from typing import Callable

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey
from sqlalchemy import event

from lab.core.models import JobFailure
from lab.core.timeutil import utcnow
from lab.extensions import db

# Waits of 1, 3, 9, 27 and 81 minutes: a job counts as failed after about two hours of trying.
RETRIES, RETRY_DELAY, RETRY_BACKOFF = 5, 60, 3
_PENDING = "lab.jobs.pending"  # the session's jobs that wait for its commit
_WROTE = "lab.jobs.wrote"  # the session flushed changes in its current transaction
_COMMITTED = "lab.jobs.committed"  # the jobs of a committed transaction, not yet handed over


@dataclass(frozen=True)
class Job:
    run: Callable[..., None]
    describe: Callable[..., str]  # names one call of the job on the failed-jobs page


_JOBS: dict[str, Job] = {}


def job(describe: Callable[..., str]):
    """Register a function the queue may run; ``describe(*args)`` says what one call was for."""
    def register(func):
        _JOBS[_name(func)] = Job(func, describe)
        return func
    return register


def _name(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def init_app(app: Flask) -> None:
    config = app.config
    options = {"results": False, "immediate": config["JOBS_IMMEDIATE"]}
    if config["JOBS_REDIS_URL"]:
        huey = RedisHuey("laboratorio", url=config["JOBS_REDIS_URL"], **options)
    else:
        filename = str(config["INSTANCE_DIR"] / "jobs.sqlite")
        huey = SqliteHuey("laboratorio", filename=filename, **options)

    @huey.task(retries=RETRIES, retry_delay=RETRY_DELAY, retry_backoff=RETRY_BACKOFF,
               context=True, name="lab.job")
    def run_job(name: str, args: tuple, task=None) -> None:
        with app.app_context():
            try:
                _JOBS[name].run(*args)
            except Exception as error:
                if not task.retries:  # the last attempt
                    _record_failure(name, args, error)
                raise

    app.extensions["jobs"] = run_job


def queue(app: Flask) -> Huey:
    """Return an app's Huey, for its consumer and for tests."""
    return app.extensions["jobs"].huey


def enqueue(func, *args) -> None:
    """Run ``func(*args)`` in the background once the current transaction commits (now if none)."""
    name = _name(func)
    if name not in _JOBS:
        raise LookupError(f"{name} is not a registered job")
    _defer(name, args)


def retry(failure: JobFailure) -> None:
    """Queue a failed job again, and forget its failure, when the caller commits."""
    _defer(failure.job, pickle.loads(failure.arguments))
    db.session.delete(failure)


def _defer(name: str, args: tuple) -> None:
    session = db.session()  # the current Session itself: the scoped proxy lacks in_transaction()
    if session.in_transaction() and _has_written(session):
        session.info.setdefault(_PENDING, []).append((name, args))
    else:
        # Nothing written since the last commit (at most reads, such as an expired attribute
        # loaded after that commit): the job has nothing to wait for.
        _hand_over([(name, args)])


def _has_written(session) -> bool:
    return bool(session.new or session.dirty or session.deleted or session.info.get(_WROTE))


# The one place that ties jobs to transactions. A savepoint's commit or rollback (rooms use
# them) is not the end of the transaction: its jobs wait for the outermost one. A committed
# transaction's jobs are handed over at its end, once its connection is back in the pool: a
# job run at once (JOBS_IMMEDIATE) then takes a connection of its own, not a second one.
@event.listens_for(db.session, "after_commit")
def _after_commit(session) -> None:
    if not session.in_nested_transaction():
        session.info[_COMMITTED] = session.info.pop(_PENDING, [])


@event.listens_for(db.session, "after_rollback")
def _after_rollback(session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_PENDING, None)


@event.listens_for(db.session, "after_flush")
def _after_flush(session, _flush_context) -> None:
    session.info[_WROTE] = True


@event.listens_for(db.session, "after_transaction_end")
def _after_transaction_end(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)
        _hand_over(session.info.pop(_COMMITTED, []))
    # A writing transaction closed without commit or rollback: say so loudly.
    if transaction.parent is None and session.info.get(_PENDING):
        dropped = session.info.pop(_PENDING)
        current_app.logger.error("%d job(s) dropped: their transaction ended without a commit "
                                 "(enqueue them before committing)", len(dropped))


def _hand_over(pending: list[tuple[str, tuple]]) -> None:
    run_job = current_app.extensions["jobs"]
    for name, args in pending:
        try:
            run_job(name, args)
        except Exception as error:  # the change is committed: a queue that is down is no 500
            current_app.logger.exception("Job %s could not be queued", name)
            with current_app.app_context():  # a session of its own: the caller's may be mid-commit
                _record_failure(name, args, error)


def _record_failure(name: str, args: tuple, error: Exception) -> None:
    db.session.add(JobFailure(job=name, summary=_JOBS[name].describe(*args)[:300],
                              arguments=pickle.dumps(args), error=repr(error)))
    db.session.commit()


def run_due(huey: Huey, now=None) -> None:
    """Run the jobs due by ``now`` (naive UTC): those queued, and retries whose wait is over."""
    now = now or utcnow()
    for task in huey.read_schedule(now):
        huey.enqueue(task)
    while huey.pending_count():
        task = huey.dequeue()
        if task is not None:
            huey.execute(task, now)


def start_worker(app: Flask, interval: float = 1.0) -> threading.Thread:
    """Run the jobs in a thread of this process, so ``python wsgi.py`` needs no other service."""
    # Not Huey's Consumer: its start() installs SIGINT and SIGTERM handlers, which only the main
    # thread may do and which would take Ctrl-C away from the development server.
    huey = queue(app)

    def work() -> None:
        while True:
            try:
                run_due(huey)
            except Exception:  # the queue's storage failed; try again on the next round
                app.logger.exception("Job worker round failed")
            time.sleep(interval)

    thread = threading.Thread(target=work, name="jobs", daemon=True)
    thread.start()
    return thread
