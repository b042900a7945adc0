"""The one way a route runs a change from a button and tells the person how it went."""
from flask import flash
from flask_babel import gettext as _

from lab.core.errors import DomainError, NotFound, NotPermitted
from lab.core.forms import Form


def attempt(action, success: str) -> bool:
    """Run a change and flash its outcome; refusals of access still answer 403 or 404."""
    if not Form().validate_on_submit():
        flash(_("La sessione del modulo è scaduta: ricarica la pagina e riprova."), "danger")
        return False
    try:
        action()
    except (NotPermitted, NotFound):
        raise
    except DomainError as error:
        flash(error.message, "danger")
        return False
    flash(success, "success")
    return True
