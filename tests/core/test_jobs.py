"""The job queue: mail leaves only once its transaction commits, survives a mail server that is
down, and a job that fails every attempt waits on the admin page to be retried or dismissed.

Most of the suite runs jobs at once, inside the commit that queues them (``JOBS_IMMEDIATE`` in
``TestingConfig``), so a test reads ``smtp.messages`` right after the request. The tests here
that take the ``job_queue`` fixture use the real queue (SQLite, or Redis with TEST_REDIS_URL) and
run it with ``jobs.run_due(queue, now)``, the development worker's own round, moving ``now``
forward instead of waiting for the retries.
"""
from datetime import timedelta

from sqlalchemy import select

from lab.accounts.audit import AuditEntry, record
from lab.core import jobs
from lab.core.mail import send_mail
from lab.core.models import JobFailure
from lab.core.timeutil import utcnow
from lab.extensions import db
from tests.conftest import sign_in
from tests.smtp import free_port


def begin() -> None:
    """Open a transaction that writes, as a service does before it asks for its mail."""
    record("test.change")
    db.session.flush()


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_mail_waits_for_the_commit(smtp):
    begin()
    send_mail("attesa@example.org", "Prova", "Ciao")
    assert smtp.messages == []
    db.session.commit()
    assert [m["To"] for m in smtp.messages] == ["attesa@example.org"]


def test_a_rollback_sends_nothing(smtp):
    begin()
    send_mail("annullata@example.org", "Prova", "Ciao")
    db.session.rollback()
    db.session.commit()  # a later transaction does not bring it back
    assert smtp.messages == []


def test_a_released_savepoint_does_not_send_before_the_transaction_commits(smtp):
    begin()
    with db.session.begin_nested():
        send_mail("annidata@example.org", "Prova", "Ciao")
    assert smtp.messages == []
    db.session.rollback()
    assert smtp.messages == []


_connections_in_use: list[int] = []


@jobs.job(describe=lambda: "count the connections in use")
def count_connections_in_use() -> None:
    db.session.execute(select(1))
    _connections_in_use.append(db.engine.pool.checkedout())


def test_a_job_run_at_the_commit_takes_the_connection_its_transaction_gave_back():
    # Run at once (JOBS_IMMEDIATE), a job reading the database must not hold a second
    # connection while its caller's is still checked out: fifty such commits at once would
    # exhaust the pool (tests/events/test_concurrency.py).
    _connections_in_use.clear()
    begin()
    jobs.enqueue(count_connections_in_use)
    db.session.commit()
    assert _connections_in_use == [1]


def test_mail_asked_for_after_the_commit_goes_out_at_once(smtp, delegate):
    # Reading the expired email after the fixture's commit opens a read-only transaction:
    # nothing in it for the mail to wait for.
    send_mail(delegate.email, "Dopo il commit", "Ciao")
    assert [m["To"] for m in smtp.messages] == [delegate.email]


def test_mail_in_a_writing_transaction_closed_without_commit_is_dropped_loudly(
        smtp, delegate, caplog):
    delegate.full_name = "Nome cambiato"
    db.session.flush()
    send_mail(delegate.email, "Mai partita", "Ciao")
    db.session.close()
    assert smtp.messages == []
    assert "1 job(s) dropped: their transaction ended without a commit" in caplog.text


def test_the_request_queues_the_mail_and_the_worker_sends_it(client, smtp, delegate, job_queue):
    assert client.post("/password/forgot", data={"email": delegate.email}).status_code == 302
    assert smtp.messages == [] and job_queue.pending_count() == 1
    jobs.run_due(job_queue)
    assert "/password/reset/" in smtp.last_link(delegate.email)


def test_mail_queued_while_the_mail_server_is_down_goes_out_once_it_is_back(
        client, smtp, delegate, job_queue):
    smtp.stop()
    try:
        response = client.post("/password/forgot", data={"email": delegate.email})
        jobs.run_due(job_queue)
    finally:
        smtp.start()
    assert response.status_code == 302  # the request never waited for the mail server
    assert smtp.messages == [] and job_queue.scheduled_count() == 1
    jobs.run_due(job_queue, utcnow() + timedelta(minutes=2))  # the first retry is due
    assert len(smtp.to(delegate.email)) == 1
    jobs.run_due(job_queue, utcnow() + timedelta(days=1))
    assert len(smtp.to(delegate.email)) == 1 and db.session.scalar(select(JobFailure)) is None


def fail_every_attempt(app, job_queue, monkeypatch) -> list[int]:
    """Queue a mail to a closed port and run every attempt; return the waits in minutes."""
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    send_mail("persa@example.org", "Invito", "Ciao")
    jobs.run_due(job_queue)
    waits = []
    for _ in range(jobs.RETRIES):
        [task] = job_queue.scheduled()
        waits.append(round((task.eta - utcnow()).total_seconds() / 60))
        jobs.run_due(job_queue, task.eta - timedelta(seconds=1))
        assert job_queue.scheduled_count() == 1  # not before its time
        jobs.run_due(job_queue, task.eta)
    assert job_queue.scheduled_count() == 0 and job_queue.pending_count() == 0
    return waits


def test_a_mail_failing_every_attempt_waits_on_the_admin_page_until_retried(
        app, client, smtp, admin, job_queue, monkeypatch):
    assert fail_every_attempt(app, job_queue, monkeypatch) == [1, 3, 9, 27, 81]
    failure = db.session.scalars(select(JobFailure)).one()
    assert "Connection refused" in failure.error
    sign_in(client, admin)
    assert "persa@example.org: Invito" in client.get("/admin/jobs").get_data(as_text=True)

    monkeypatch.setitem(app.config, "MAIL_PORT", smtp.port)
    assert client.post(f"/admin/jobs/{failure.id}/retry").status_code == 302
    assert db.session.scalar(select(JobFailure)) is None and smtp.messages == []
    jobs.run_due(job_queue)
    assert len(smtp.to("persa@example.org")) == 1
    assert "job.retried" in audit_actions()


def test_a_dismissed_job_leaves_the_page_and_never_runs(app, client, smtp, admin, job_queue,
                                                        monkeypatch):
    fail_every_attempt(app, job_queue, monkeypatch)
    failure = db.session.scalars(select(JobFailure)).one()
    sign_in(client, admin)
    client.post(f"/admin/jobs/{failure.id}/dismiss")
    assert "persa@example.org" not in client.get("/admin/jobs").get_data(as_text=True)
    jobs.run_due(job_queue, utcnow() + timedelta(days=1))
    assert smtp.messages == [] and "job.dismissed" in audit_actions()


def test_a_queue_that_refuses_the_job_leaves_it_on_the_admin_page(smtp, job_queue, monkeypatch):
    def refuse(*args):
        raise ConnectionError("queue unreachable")

    monkeypatch.setattr(job_queue.storage, "enqueue", refuse)
    begin()
    send_mail("coda@example.org", "Prova", "Ciao")
    db.session.commit()  # the change is kept: the commit does not fail with the queue
    failure = db.session.scalars(select(JobFailure)).one()
    assert failure.summary == "coda@example.org: Prova" and "queue unreachable" in failure.error
