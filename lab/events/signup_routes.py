"""Registering with the organiser's questions, with or without an account, and the questions editor."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lab.accounts.services import normalise_email
from lab.core.errors import DomainError
from lab.core.forms import Form
from lab.core.refusals import attempt, flash_outcome
from lab.events import bp, queries, questions, registrations, signup
from lab.events.signup_forms import (QUESTION_KINDS, QuestionForm, details_from, question_form,
                                     registration_form)
from lab.extensions import limiter


@bp.app_context_processor
def registration_details():
    """Let the event and organiser pages list consenting participants, questions and answers."""
    return {"public_participants": questions.public_participants,
            "retention_date": questions.retention_date, "event_questions": questions.questions_of,
            "question_form": question_form, "question_kinds": QUESTION_KINDS,
            "answers_of_each": questions.answers_of_each, "answer_columns": questions.answer_columns}


def _signup_limit(scope: str, key_func=None):
    """Count only requests that sent a confirmation mail, from people without an account."""
    return limiter.limit(lambda: current_app.config["EVENT_SIGNUP_LIMIT"], methods=["POST"],
                         scope=scope, key_func=key_func,
                         exempt_when=lambda: current_user.is_authenticated,
                         deduct_when=lambda response: response.status_code == 200)


@bp.route("/events/<int:event_id>/join", methods=["GET", "POST"])
@_signup_limit("event-signup-address")
@_signup_limit("event-signup-email", lambda: normalise_email(request.form.get("email", "")))
def join(event_id: int):
    """Register for an event, answering its questions; without an account, by email and a link."""
    # One statement for both: 919 against 1,179 us of CPU (PostgreSQL, 10 x 300 reads of
    # each alternating, load average 7.7); a registration costs 12-14 ms in all.
    event, asked = questions.event_with_questions(current_user, event_id)
    guest = not current_user.is_authenticated
    form, refusal = registration_form(asked, guest), None
    if form.validate_on_submit():
        try:
            if guest:
                sent = signup.request_signup(event, form.name.data, form.email.data,
                                             form.organisation.data, details_from(form, asked))
                return render_template("events/signup_sent.html", event=event, signup=sent)
            registrations.register(current_user, event, details=details_from(form, asked),
                                   asked=asked)
        except questions.InvalidAnswer as error:
            form[error.field].errors.append(error.message)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            refusal = error
        else:
            flash(_("Richiesta registrata: trovi qui sotto se hai un posto o sei in lista d'attesa."),
                  "success")
            # The route's own id: the committed event's attributes are expired, reading them
            # would cost a query.
            return redirect(url_for("events.show", event_id=event_id))
    status = refusal.status if refusal else (400 if form.errors else 200)
    return render_template("events/join.html", event=event, form=form, questions=asked,
                           guest=guest, refusal=refusal,
                           open=queries.is_open_for_registration(event)), status


@bp.route("/events/signup/<token>", methods=["GET", "POST"])
def confirm_signup(token: str):
    """Confirm a registration without an account from the mailed link (a button, not the GET,
    so a mail scanner opening links confirms nothing)."""
    try:
        pending = signup.signup_for(token)
    except signup.LinkClosed as closed:
        return render_template("events/link_closed.html", title=closed.title,
                               message=closed.message), 400
    form = Form()
    if form.validate_on_submit():
        try:
            registration = signup.confirm_signup(token)
        except signup.LinkClosed as closed:
            return render_template("events/link_closed.html", title=closed.title,
                                   message=closed.message), 400
        except DomainError as error:
            if error.status in (403, 404):
                raise
            return render_template("events/link_closed.html", title=_("Iscrizione non possibile"),
                                   message=error.message, event=pending.event), error.status
        return render_template("events/signup_confirmed.html", event=registration.event,
                               registration=registration)
    return render_template("events/confirm_signup.html", signup=pending, button=form,
                           retention=questions.retention_date(pending.event))


@bp.route("/events/cancel/<token>", methods=["GET", "POST"])
def guest_cancel(token: str):
    """Give up a registration made without an account, from the link in its mail."""
    registration = signup.guest_registration_for(token)
    event = registration.event
    if request.method == "POST" and attempt(lambda: signup.cancel_by_link(token),
                                            _("Iscrizione annullata.")):
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/guest_cancel.html", registration=registration, event=event,
                           button=Form())


@bp.post("/events/<int:event_id>/questions")
@login_required
def add_question(event_id: int):
    """Ask people registering one more question."""
    event = queries.event_managed_by(current_user, event_id)
    return _save_question(event, question_form(),
                          lambda draft: questions.add_question(current_user, event, draft),
                          _("Domanda aggiunta al modulo d'iscrizione."))


@bp.post("/events/<int:event_id>/questions/<int:question_id>")
@login_required
def update_question(event_id: int, question_id: int):
    """Change a question of the registration form."""
    event = queries.event_managed_by(current_user, event_id)
    question = questions.question_in(event, question_id)
    return _save_question(event, question_form(question),
                          lambda draft: questions.update_question(current_user, question, draft),
                          _("Domanda modificata."))


@bp.post("/events/<int:event_id>/questions/<int:question_id>/delete")
@login_required
def remove_question(event_id: int, question_id: int):
    """Take a question off the registration form, with its answers."""
    event = queries.event_managed_by(current_user, event_id)
    question = questions.question_in(event, question_id)
    attempt(lambda: questions.remove_question(current_user, question), _("Domanda tolta."))
    return _back_to_questions(event)


def _save_question(event, form, save, done: str):
    """Save the form's question with ``save(draft)``, or say what is missing; back to the list."""
    if form.validate_on_submit():
        flash_outcome(lambda: save(_draft(form)), done)
    else:
        flash(_("Scrivi la domanda (al massimo 300 caratteri)."), "danger")
    return _back_to_questions(event)


def _back_to_questions(event):
    return redirect(url_for("events.manage", event_id=event.id, _anchor="questions-title"))


def _draft(form: QuestionForm) -> questions.QuestionDraft:
    return questions.QuestionDraft(label=form.label.data or "", kind=form.kind.data or "",
                                   options=form.options.data or "", required=form.required.data)
