"""Admin pages: people, their roles and mandates, and invitations."""
from flask import current_app, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from lab.accounts import bp, invitations, services, uploads
from lab.accounts.forms import ButtonForm, GrantRoleForm, InvitationForm, MandateForm
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


def _region_from(form) -> object:
    return services.region_by_id(int(form.region.data)) if form.region.data else None


@bp.get("/admin/people")
@admin_required
def people():
    """List the people the admin manages."""
    return render_template("accounts/admin/people.html", people=services.people_visible_to(current_user))


@bp.get("/admin/people/<int:user_id>")
@admin_required
def person(user_id: int):
    """Show a person's roles and mandates, with forms to change them."""
    person = services.person_for(current_user, user_id)
    role_form = GrantRoleForm()
    role_form.region.choices = _region_choices(current_user)
    return render_template("accounts/admin/person.html", person=person, role_form=role_form,
                           mandate_form=MandateForm(), button=ButtonForm())


def _back_to(person_id: int):
    return redirect(url_for("accounts.person", user_id=person_id))


@bp.post("/admin/people/<int:user_id>/roles")
@admin_required
def grant_role(user_id: int):
    """Give a person a role."""
    person = services.person_for(current_user, user_id)
    form = GrantRoleForm()
    form.region.choices = _region_choices(current_user)
    if form.validate_on_submit():
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
    if ButtonForm().validate_on_submit():
        try:
            services.end_role(current_user, assignment)
            flash(_("Ruolo terminato."), "success")
        except DomainError as error:
            flash(error.message, "danger")
    return _back_to(assignment.user_id)


@bp.post("/admin/people/<int:user_id>/mandates")
@admin_required
def grant_mandate(user_id: int):
    """Confer signatory authority on a delegate."""
    person = services.person_for(current_user, user_id)
    form = MandateForm()
    if form.validate_on_submit():
        try:
            pdf = uploads.read_pdf(form.act_pdf.data)
            services.grant_mandate(current_user, person, services.MandateRequest(
                act=form.act.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                act_pdf=uploads.store_pdf(pdf) if pdf else None))
            flash(_("Poteri di firma conferiti."), "success")
            return _back_to(user_id)
        except DomainError as error:
            form.act.errors.append(error.message)
    role_form = GrantRoleForm()
    role_form.region.choices = _region_choices(current_user)
    return render_template("accounts/admin/person.html", person=person, role_form=role_form,
                           mandate_form=form, button=ButtonForm()), 400


@bp.post("/admin/mandates/<int:mandate_id>/end")
@admin_required
def end_mandate(mandate_id: int):
    """End a signatory mandate today."""
    mandate = services.mandate_for(current_user, mandate_id)
    if ButtonForm().validate_on_submit():
        try:
            services.end_mandate(current_user, mandate)
            flash(_("Poteri di firma terminati."), "success")
        except DomainError as error:
            flash(error.message, "danger")
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


@bp.route("/admin/invitations", methods=["GET", "POST"])
@admin_required
def invitations_page():
    """List invitations and send a new one."""
    form = InvitationForm()
    form.region.choices = _region_choices(current_user)
    if not current_user.is_platform_admin:
        form.role.choices = [SelectChoice(Role.DELEGATE.value, _("Delegato regionale"))]
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                _invitation, sent = invitations.invite(
                    current_user, form.email.data, Role(form.role.data), _region_from(form))
            except DomainError as error:
                form.email.errors.append(error.message)
            else:
                _flash_delivery(sent, _("Invito inviato a %(email)s.", email=form.email.data))
                return redirect(url_for("accounts.invitations_page"))
    return render_template("accounts/admin/invitations.html", form=form, button=ButtonForm(),
                           invitations=invitations.invitations_visible_to(current_user),
                           role_label=invitations.role_label), status


def _flash_delivery(sent: bool, success: str) -> None:
    if sent:
        flash(success, "success")
    else:
        flash(_("L'invito è stato registrato ma l'email non è partita: riprova con «Reinvia»."),
              "warning")


@bp.post("/admin/invitations/<int:invitation_id>/resend")
@admin_required
def resend_invitation(invitation_id: int):
    """Send an invitation again with a fresh link."""
    invitation = invitations.invitation_for(current_user, invitation_id)
    if ButtonForm().validate_on_submit():
        try:
            sent = invitations.resend(current_user, invitation)
            _flash_delivery(sent, _("Invito reinviato a %(email)s.", email=invitation.email))
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
