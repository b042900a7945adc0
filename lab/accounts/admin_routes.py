"""Admin pages: people, their roles and mandates, and invitations."""
from flask import flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from lab.accounts import bp, invitations, offboarding, services, sessions, uploads
from lab.accounts.forms import (
    ButtonForm, ConfirmForm, GrantRoleForm, InvitationForm, MandateForm, role_choices,
)
from lab.accounts.models import Role, RoleAssignment
from lab.core.errors import DomainError
from lab.core.i18n import by_shown_name, shown_name
from lab.core.security import admin_required
from lab.extensions import db


def _region_choices(actor) -> list[SelectChoice]:
    regions = by_shown_name(services.all_regions())
    choices = [SelectChoice(str(r.id), shown_name(r)) for r in regions
               if actor.is_platform_admin or r.id in actor.administered_region_ids()]
    return [SelectChoice("", _("— nessuna —"))] + choices if actor.is_platform_admin else choices


def _role_form(actor, person) -> GrantRoleForm:
    """The role form offering only the roles the actor may give this person, in their regions."""
    form = GrantRoleForm()
    form.role.choices = role_choices(services.grantable_roles(actor, person))
    form.region.choices = _region_choices(actor)
    return form


def _person_page(person, mandate_form=None, status=200):
    return render_template("accounts/admin/person.html", person=person,
                           role_form=_role_form(current_user, person),
                           mandate_form=mandate_form or MandateForm(), button=ButtonForm(),
                           confirm=ConfirmForm(), live_sessions=sessions.live_sessions(person)), status


def _region_from(form) -> object:
    return services.region_by_id(int(form.region.data)) if form.region.data else None


@bp.get("/admin/people")
@admin_required
def people():
    """List the people the admin manages."""
    return render_template("accounts/admin/people.html",
                           people=services.people_visible_to(current_user),
                           awaiting=services.mandates_awaiting(current_user), button=ButtonForm())


@bp.get("/admin/people/<int:user_id>")
@admin_required
def person(user_id: int):
    """Show a person's roles and mandates, with forms to change them."""
    return _person_page(services.person_for(current_user, user_id))


def _back_to(person_id: int):
    return redirect(url_for("accounts.person", user_id=person_id))


def _on_button(change, success: str) -> None:
    """Make a one-button change and flash how it went (the refusal's own words if refused)."""
    if ButtonForm().validate_on_submit():
        try:
            change()
        except DomainError as error:
            flash(error.message, "danger")
        else:
            flash(success, "success")


@bp.post("/admin/people/<int:user_id>/roles")
@admin_required
def grant_role(user_id: int):
    """Give a person a role."""
    person = services.person_for(current_user, user_id)
    form = _role_form(current_user, person)
    if not form.role.choices:
        flash(_("Non puoi assegnare ruoli a questa persona."), "danger")
    elif form.validate_on_submit():
        try:
            services.grant_role(current_user, person, Role(form.role.data), _region_from(form))
            flash(_("Ruolo assegnato."), "success")
        except DomainError as error:
            flash(error.message, "danger")
    else:
        flash(_("Controlla i dati del modulo."), "danger")
    return _back_to(user_id)


@bp.post("/admin/roles/<int:assignment_id>/end")
@admin_required
def end_role(assignment_id: int):
    """End one of a person's roles."""
    assignment = db.get_or_404(RoleAssignment, assignment_id)
    services.person_for(current_user, assignment.user_id)
    _on_button(lambda: services.end_role(current_user, assignment), _("Ruolo terminato."))
    return _back_to(assignment.user_id)


@bp.post("/admin/people/<int:user_id>/mandates")
@admin_required
def grant_mandate(user_id: int):
    """Confer signatory authority on a delegate."""
    person = services.person_for(current_user, user_id)
    form = MandateForm()
    if form.validate_on_submit():
        try:
            mandate = services.grant_mandate(current_user, person, services.MandateRequest(
                act=form.act.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                pdf=uploads.read_pdf(form.act_pdf.data)))
        except DomainError as error:
            form.act.errors.append(error.message)
        else:
            flash(_("Poteri di firma conferiti.") if mandate.confirmed_at else
                  _("Poteri di firma registrati: saranno in vigore quando un altro amministratore "
                    "li avrà confermati."), "success")
            return _back_to(user_id)
    return _person_page(person, form, 400)


@bp.post("/admin/mandates/<int:mandate_id>/end")
@admin_required
def end_mandate(mandate_id: int):
    """End a signatory mandate today."""
    mandate = services.mandate_for(current_user, mandate_id)
    _on_button(lambda: services.end_mandate(current_user, mandate), _("Poteri di firma terminati."))
    return _back_to(mandate.user_id)


@bp.post("/admin/mandates/<int:mandate_id>/confirm")
@admin_required
def confirm_mandate(mandate_id: int):
    """Confirm, as the second person, a mandate another admin conferred."""
    mandate = services.mandate_for(current_user, mandate_id)
    _on_button(lambda: services.confirm_mandate(current_user, mandate),
               _("Poteri di firma confermati: sono in vigore."))
    return _back_to(mandate.user_id)


@bp.get("/mandates/<int:mandate_id>/act.pdf")
@admin_required
def mandate_pdf(mandate_id: int):
    """Download the PDF of the act that conferred a mandate."""
    mandate = services.mandate_for(current_user, mandate_id)
    if not mandate.act_pdf:
        return render_template("errors/error.html", status=404, title=_("Pagina non trovata"),
                               message=_("Per questo mandato non è stato caricato un PDF.")), 404
    return send_from_directory(uploads.pdf_dir(), mandate.act_pdf, mimetype="application/pdf",
                               as_attachment=True, download_name=f"mandato-{mandate.id}.pdf")


def _offboard(user_id: int, change, done: str):
    """Apply an offboarding service to a person once the admin ticked the confirmation."""
    person = services.person_for(current_user, user_id)
    if ConfirmForm().validate_on_submit():
        try:
            change(current_user, person)
            flash(done, "success")
        except DomainError as error:
            flash(error.message, "danger")
    else:
        flash(_("Spunta la conferma per procedere."), "danger")
    return _back_to(user_id)


@bp.post("/admin/people/<int:user_id>/sign-out")
@admin_required
def sign_out_everywhere(user_id: int):
    """End every session of a person, on every browser and socket."""
    return _offboard(user_id, sessions.sign_out_everywhere,
                     _("Tutte le sessioni sono state chiuse."))


@bp.post("/admin/people/<int:user_id>/deactivate")
@admin_required
def deactivate(user_id: int):
    """Deactivate a person: sign-in refused, sessions closed, roles and mandates ended."""
    return _offboard(user_id, offboarding.deactivate, _("Persona disattivata."))


@bp.post("/admin/people/<int:user_id>/reactivate")
@admin_required
def reactivate(user_id: int):
    """Let a deactivated person sign in again."""
    return _offboard(user_id, offboarding.reactivate, _("Persona riattivata."))


@bp.post("/admin/people/<int:user_id>/erase")
@admin_required
def erase(user_id: int):
    """Replace a deactivated person's personal data with a pseudonym."""
    return _offboard(user_id, offboarding.erase, _("Dati personali cancellati."))


@bp.route("/admin/invitations", methods=["GET", "POST"])
@admin_required
def invitations_page():
    """List invitations and send a new one."""
    form = InvitationForm()
    form.role.choices = role_choices(invitations.invitable_roles(current_user))
    form.region.choices = _region_choices(current_user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                invitation = invitations.invite(
                    current_user, form.email.data, Role(form.role.data), _region_from(form))
            except DomainError as error:
                form.email.errors.append(error.message)
            else:
                flash(_("Invito creato: l'email a %(email)s è in partenza.", email=invitation.email),
                      "success")
                return redirect(url_for("accounts.invitations_page"))
    return render_template("accounts/admin/invitations.html", form=form, button=ButtonForm(),
                           invitations=invitations.invitations_visible_to(current_user),
                           role_label=invitations.role_label), status


@bp.post("/admin/invitations/<int:invitation_id>/resend")
@admin_required
def resend_invitation(invitation_id: int):
    """Send an invitation again with a fresh link."""
    invitation = invitations.invitation_for(current_user, invitation_id)
    if ButtonForm().validate_on_submit():
        try:
            invitations.resend(current_user, invitation)
            flash(_("Nuovo collegamento creato: l'email a %(email)s è in partenza.",
                    email=invitation.email), "success")
        except DomainError as error:
            flash(error.message, "danger")
    return redirect(url_for("accounts.invitations_page"))


@bp.post("/admin/invitations/<int:invitation_id>/revoke")
@admin_required
def revoke_invitation(invitation_id: int):
    """Revoke a pending invitation."""
    invitation = invitations.invitation_for(current_user, invitation_id)
    if ButtonForm().validate_on_submit():
        try:
            invitations.revoke(current_user, invitation)
            flash(_("Invito revocato."), "success")
        except DomainError as error:
            flash(error.message, "danger")
    return redirect(url_for("accounts.invitations_page"))
