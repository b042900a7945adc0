"""Cross-cutting pieces: home page, health check, language switch, security, errors, markup."""
from flask import Blueprint

from flask_babel import lazy_gettext as _l

from lab.core.navigation import add_nav_item

bp = Blueprint("core", __name__)
add_nav_item("core.home", _l("Home"), order=0)

from lab.core import routes  # noqa: E402,F401  (registers the routes on bp)
