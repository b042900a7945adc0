"""The good-practice library: structured practices, their review, and search."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from lab.core.navigation import add_nav_item, signed_in

bp = Blueprint("library", __name__)
add_nav_item("library.mine", _l("Le mie pratiche"), order=40, visible=signed_in)

from lab.library import editing_routes, review_routes, routes  # noqa: E402,F401  (register the routes)
