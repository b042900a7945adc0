"""Events for forum organisers: forums, meetings, trainings, webinars and their registrations."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from lab.core.navigation import add_nav_item

bp = Blueprint("events", __name__)
add_nav_item("events.index", _l("Eventi"), order=25)

from lab.events import routes  # noqa: E402,F401  (registers the routes on bp)
