"""The failed-jobs page: platform admins retry or dismiss background jobs that failed."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lab.accounts import bp, failed_jobs
from lab.accounts.forms import ButtonForm
from lab.core.security import platform_admin_required


@bp.get("/admin/jobs")
@platform_admin_required
def failed_jobs_page():
    """List the background jobs (mail) that failed every attempt."""
    return render_template("accounts/admin/jobs.html", button=ButtonForm(),
                           failures=failed_jobs.failed_jobs(current_user))


@bp.post("/admin/jobs/<int:failure_id>/retry")
@platform_admin_required
def retry_job(failure_id: int):
    """Queue a failed job again."""
    failure = failed_jobs.failure_for(current_user, failure_id)
    if ButtonForm().validate_on_submit():
        failed_jobs.retry_job(current_user, failure)
        flash(_("Attività rimessa in coda."), "success")
    return redirect(url_for("accounts.failed_jobs_page"))


@bp.post("/admin/jobs/<int:failure_id>/dismiss")
@platform_admin_required
def dismiss_job(failure_id: int):
    """Remove a failed job from the list without running it."""
    failure = failed_jobs.failure_for(current_user, failure_id)
    if ButtonForm().validate_on_submit():
        failed_jobs.dismiss_job(current_user, failure)
        flash(_("Attività scartata."), "success")
    return redirect(url_for("accounts.failed_jobs_page"))
