"""Platform admins draft, preview and publish versions of the Pact."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lab.accounts.forms import ButtonForm
from lab.core.errors import DomainError
from lab.core.security import platform_admin_required
from lab.pact import bp, versions
from lab.pact.forms import VersionForm


@bp.route("/admin", methods=["GET", "POST"])
@platform_admin_required
def admin_versions():
    """List the Pact's versions and start a new draft."""
    form = VersionForm()
    current = versions.current_version()
    if not form.is_submitted() and current:
        form.title.data, form.body.data = current.title, current.body
    if form.validate_on_submit():
        try:
            draft = versions.save_draft(current_user, form.title.data, form.body.data)
        except DomainError as error:
            form.body.errors.append(error.message)
        else:
            flash(_("Bozza salvata."), "success")
            return redirect(url_for("pact.admin_version", number=draft.number))
    return render_template("pact/admin/versions.html", form=form, versions=versions.all_versions())


@bp.route("/admin/versions/<int:number>", methods=["GET", "POST"])
@platform_admin_required
def admin_version(number: int):
    """Edit and preview a draft, with its differences from the version in force."""
    draft = versions.version_by_number(number)
    form = VersionForm(obj=draft)
    if form.validate_on_submit():
        try:
            versions.save_draft(current_user, form.title.data, form.body.data, draft)
        except DomainError as error:
            form.body.errors.append(error.message)
        else:
            flash(_("Bozza aggiornata."), "success")
            return redirect(url_for("pact.admin_version", number=number))
    current = versions.current_version()
    diff = versions.diff_lines(current, draft) if current and current is not draft else None
    return render_template("pact/admin/version.html", draft=draft, form=form, diff=diff,
                           current=current, button=ButtonForm())


@bp.post("/admin/versions/<int:number>/publish")
@platform_admin_required
def publish_version(number: int):
    """Publish a draft; the version in force becomes superseded."""
    draft = versions.version_by_number(number)
    if ButtonForm().validate_on_submit():
        try:
            versions.publish(current_user, draft)
            flash(_("Versione %(n)d pubblicata.", n=number), "success")
            return redirect(url_for("pact.register"))
        except DomainError as error:
            flash(error.message, "danger")
    return redirect(url_for("pact.admin_version", number=number))
