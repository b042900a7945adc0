"""The queues (the author's, the coordinators', the editorial board's) and the review steps."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lab.accounts.forms import ButtonForm
from lab.core.errors import NotPermitted
from lab.core.refusals import flash_outcome
from lab.library import access, bp, labels, workflow
from lab.library.forms import ApprovalForm, CommentForm


@bp.get("/library/mine")
@login_required
def mine():
    """List one's practices and those of one's region, with their state."""
    return render_template("library/mine.html", practices=access.authored_by(current_user),
                           labels=labels, may_draft=access.may_draft(current_user),
                           reviews=access.coordinator_queue(current_user),
                           board=access.is_board_member(current_user))


@bp.get("/library/review")
@login_required
def review_queue():
    """List the submitted practices of the groups one coordinates."""
    return render_template("library/queue.html", practices=access.coordinator_queue(current_user),
                           title=_("Pratiche da revisionare"), labels=labels)


@bp.get("/library/board")
@login_required
def board_queue():
    """List the approved practices waiting for the editorial board."""
    if not access.is_board_member(current_user):
        raise NotPermitted(_("Questa coda è del comitato editoriale."))
    return render_template("library/queue.html", practices=access.board_queue(),
                           title=_("Pratiche da pubblicare"), labels=labels)


def _step(practice_id: int, form, allowed, action, success: str):
    """Run one review step from a posted form; refusals of access still answer 403 or 404.

    ``allowed`` is the access rule the service applies too: asked first, so that a person who
    may not take the step is refused whatever the form holds.
    """
    practice = access.visible_practice(current_user, practice_id)
    if not allowed(current_user, practice):
        raise NotPermitted(_("Non puoi compiere questo passaggio su questa pratica."))
    if not form.validate_on_submit():
        messages = [error for errors in form.errors.values() for error in errors]
        flash(" ".join(map(str, messages)) or _("Richiesta non valida."), "danger")
    else:
        flash_outcome(lambda: action(practice, form), success)
    return redirect(url_for("library.sheet", practice_id=practice.id, slug=practice.slug))


@bp.post("/library/<int:practice_id>/submit")
@login_required
def submit(practice_id: int):
    """Send one's practice to the coordinators of its primary group."""
    return _step(practice_id, ButtonForm(), access.may_submit,
                 lambda practice, form: workflow.submit_practice(current_user, practice),
                 _("Pratica inviata ai coordinatori del gruppo."))


@bp.post("/library/<int:practice_id>/request-changes")
@login_required
def request_changes(practice_id: int):
    """Send a submitted practice back to its author with a comment."""
    return _step(practice_id, CommentForm(), access.may_review,
                 lambda practice, form: workflow.request_changes(
        current_user, practice, form.comment.data), _("Richiesta di modifiche inviata."))


@bp.post("/library/<int:practice_id>/approve")
@login_required
def approve(practice_id: int):
    """Approve a submitted practice, confirming or lowering its evidence level."""
    return _step(practice_id, ApprovalForm(), access.may_review,
                 lambda practice, form: workflow.approve_practice(
        current_user, practice, form.confirmed_level.data, form.note.data),
        _("Pratica approvata: ora la pubblica il comitato editoriale."))


@bp.post("/library/<int:practice_id>/publish")
@login_required
def publish(practice_id: int):
    """Publish an approved practice."""
    return _step(practice_id, ButtonForm(), access.may_publish,
                 lambda practice, form: workflow.publish_practice(current_user, practice),
                 _("Pratica pubblicata."))


@bp.post("/library/<int:practice_id>/send-back")
@login_required
def send_back(practice_id: int):
    """Return an approved practice to its author instead of publishing it."""
    return _step(practice_id, CommentForm(), access.may_publish,
                 lambda practice, form: workflow.send_back(
        current_user, practice, form.comment.data), _("Pratica rimandata all'autore."))


@bp.post("/library/<int:practice_id>/archive")
@login_required
def archive(practice_id: int):
    """Withdraw a published practice from the public library."""
    return _step(practice_id, ButtonForm(), access.may_archive,
                 lambda practice, form: workflow.archive_practice(current_user, practice),
                 _("Pratica archiviata."))
