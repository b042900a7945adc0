"""Real-time discussion rooms: one per group, one for the whole Laboratory, more on request."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from lab.core.navigation import add_nav_item, signed_in

bp = Blueprint("rooms", __name__)
add_nav_item("rooms.index", _l("Stanze"), order=30, visible=signed_in)

from lab.rooms import mentions, routes  # noqa: E402,F401  (routes on bp, mails on signals)
