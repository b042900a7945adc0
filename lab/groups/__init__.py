"""Thematic working groups: coordinators, members, join requests."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from lab.core.navigation import add_nav_item

bp = Blueprint("groups", __name__)
from lab.groups import routes  # noqa: E402,F401  (registers the routes on bp)
from lab.groups.queries import pending_requests_for  # noqa: E402

add_nav_item("groups.index", _l("Gruppi di lavoro"), order=20, badge=pending_requests_for)
