"""The Pact for social innovation: versions, online adhesion, and the verifiable register."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from lab.core.navigation import add_nav_item, platform_admin

bp = Blueprint("pact", __name__, url_prefix="/pact")
add_nav_item("pact.register", _l("Il Patto"), order=5)
add_nav_item("pact.admin_versions", _l("Versioni del Patto"), order=83, visible=platform_admin)

from lab.pact import admin_routes, routes  # noqa: E402,F401
