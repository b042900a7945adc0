"""Thematic working groups: coordinators, members, join requests."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from lab.core.navigation import add_nav_item

bp = Blueprint("groups", __name__)
add_nav_item("groups.index", _l("Gruppi di lavoro"), order=20)

from lab.groups import routes  # noqa: E402,F401  (registers the routes on bp)
