"""The one way a route runs a change a form asked for and tells the person how it went."""
from flask import flash
from flask_babel import gettext as _

from lab.core.errors import DomainError, NotFound, NotPermitted
from lab.core.forms import Form


def flash_outcome(action, success: str) -> bool:
    """Run the change and flash its outcome; say whether it went through.

    Refusals of access (``NotPermitted``, ``NotFound``) still answer 403 or 404.
    """
    try:
        action()
    except (NotPermitted, NotFound):
        raise
    except DomainError as error:
        flash(error.message, "danger")
        return False
    flash(success, "success")
    return True


def attempt(action, success: str) -> bool:
    """Run a change asked for by a button (a form with no fields but its CSRF token)."""
    if not Form().validate_on_submit():
        flash(_("La sessione del modulo è scaduta: ricarica la pagina e riprova."), "danger")
        return False
    return flash_outcome(action, success)
