"""Writing a practice: the form to start one (also from a room's message) and to change it."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from lab.accounts.forms import ButtonForm
from lab.accounts.services import all_regions
from lab.core.errors import DomainError, NotPermitted
from lab.groups.queries import all_groups
from lab.library import access, bp, services
from lab.library.attachments import UploadRefused, read_upload
from lab.library.forms import PracticeForm, practice_data
from lab.library.services import EvidenceNotMet


def _form(**kwargs) -> PracticeForm:
    form = PracticeForm(**kwargs)
    form.set_choices(all_groups(), all_regions(), str(get_locale() or "it"))
    return form


def _save(form: PracticeForm, practice=None, save=None):
    """Add a row, or save the form through ``save(draft)``; return the page or a redirect."""
    row = request.form.get("add_row")
    if request.method == "POST" and row:  # nothing is stored: the page comes back one row longer
        if not form.add_row(row):
            flash(_("Non si possono aggiungere altre righe."), "warning")
        return _page(form, practice, 200)
    if form.validate_on_submit():
        try:
            saved = save(form.to_draft(read_upload(form.upload.data)))
        except UploadRefused as error:
            form.upload.errors = [error.message]
        except EvidenceNotMet as error:
            form.evidence_level.errors = [error.message]
        except NotPermitted:
            raise
        except DomainError as error:
            flash(error.message, "danger")
        else:
            flash(_("Scheda salvata."), "success")
            return redirect(url_for("library.sheet", practice_id=saved.id, slug=saved.slug))
    return _page(form, practice, 400 if request.method == "POST" else 200)


def _page(form, practice, status):
    return render_template("library/form.html", form=form, practice=practice,
                           button=ButtonForm()), status


@bp.route("/library/new", methods=["GET", "POST"])
@login_required
def new():
    """Start a practice."""
    return new_practice_page()


def new_practice_page(prefill: dict | None = None, source_message_id: int | None = None):
    """Show and save the form of a new practice, first filled with ``prefill``.

    A room's route calls it for a message it has let the person read: the practice then links
    back to the message.
    """
    if not access.may_draft(current_user):
        raise NotPermitted(_("Solo i delegati regionali possono proporre buone pratiche."))
    form = _form(data=prefill or {}) if request.method == "GET" else _form()
    return _save(form, save=lambda draft: services.create_practice(
        current_user, draft, source_message_id=source_message_id))


@bp.route("/library/<int:practice_id>/edit", methods=["GET", "POST"])
@login_required
def edit(practice_id: int):
    """Change the working copy of one's practice (a published one stays public until republished)."""
    practice = access.visible_practice(current_user, practice_id)
    if not access.may_edit(current_user, practice):
        raise NotPermitted(_("Non puoi modificare questa pratica in questo momento."))
    form = _form(data=practice_data(practice)) if request.method == "GET" else _form()

    def save(draft):
        services.update_practice(current_user, practice, draft)
        return practice

    return _save(form, practice, save)


@bp.post("/library/<int:practice_id>/attachments/<int:attachment_id>/remove")
@login_required
def remove_attachment(practice_id: int, attachment_id: int):
    """Take a file off one's practice."""
    practice = access.visible_practice(current_user, practice_id)
    if ButtonForm().validate_on_submit():
        try:
            services.remove_attachment(current_user, practice, attachment_id)
        except NotPermitted:
            raise
        except DomainError as error:
            flash(error.message, "danger")
        else:
            flash(_("Allegato tolto."), "success")
    return redirect(url_for("library.edit", practice_id=practice.id))
