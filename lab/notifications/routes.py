"""The notification settings, shown and saved on the account page."""
from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lab.notifications import bp, services
from lab.notifications.forms import NotificationForm


@bp.app_context_processor
def notification_settings_form():
    """Let the account page draw the form with the person's current settings."""
    def notification_form() -> NotificationForm:
        return NotificationForm(obj=services.settings_of(current_user))

    return {"notification_form": notification_form}


@bp.post("/account/notifications")
@login_required
def save():
    """Save which notices the person wants by email."""
    form = NotificationForm()
    if form.validate_on_submit():
        services.change_settings(current_user, form.data)
        flash(_("Preferenze di notifica salvate."), "success")
    else:
        flash(_("La sessione del modulo è scaduta: ricarica la pagina e riprova."), "danger")
    return redirect(url_for("accounts.account", _anchor="notifications"))
