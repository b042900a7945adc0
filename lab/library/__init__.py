"""The good-practice library: structured practices, their review, and search."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from lab.core.navigation import add_nav_item, signed_in

bp = Blueprint("library", __name__)
add_nav_item("library.mine", _l("Le mie pratiche"), order=40, visible=signed_in)

from lab.library import (  # noqa: E402,F401  (register the routes; the index follows publication)
    editing_routes, index, review_routes, routes, search_routes,
)
