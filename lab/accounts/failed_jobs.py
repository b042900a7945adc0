"""Background jobs that failed every attempt: platform admins run them again or dismiss them."""
from flask_babel import gettext as _
from sqlalchemy import select

from lab.accounts.audit import record
from lab.accounts.models import User
from lab.core import jobs
from lab.core.errors import NotFound, NotPermitted
from lab.core.models import JobFailure
from lab.extensions import db


def _check_platform_admin(actor: User) -> None:
    if not actor.is_platform_admin:
        raise NotPermitted(_("Solo gli amministratori della piattaforma gestiscono le attività "
                             "non riuscite."))


def failed_jobs(actor: User) -> list[JobFailure]:
    """Return the failed jobs, the latest first."""
    _check_platform_admin(actor)
    return list(db.session.scalars(
        select(JobFailure).order_by(JobFailure.failed_at.desc(), JobFailure.id.desc())))


def failure_for(actor: User, failure_id: int) -> JobFailure:
    _check_platform_admin(actor)
    failure = db.session.get(JobFailure, failure_id)
    if failure is None:
        raise NotFound(_("Attività non trovata: forse è già stata ripresa o scartata."))
    return failure


def retry_job(actor: User, failure: JobFailure) -> None:
    """Queue a failed job again; if it fails every attempt again, it comes back to the list."""
    _check_platform_admin(actor)
    record("job.retried", actor=actor, job=failure.job, summary=failure.summary)
    jobs.retry(failure)
    db.session.commit()


def dismiss_job(actor: User, failure: JobFailure) -> None:
    """Remove a failed job from the list without running it again."""
    _check_platform_admin(actor)
    record("job.dismissed", actor=actor, job=failure.job, summary=failure.summary)
    db.session.delete(failure)
    db.session.commit()
