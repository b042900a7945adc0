"""Regions, people, roles, signatory mandates, invitations and signing in."""
from flask import Blueprint

from flask_babel import lazy_gettext as _l

from lab.core.navigation import add_nav_item, any_admin, platform_admin

bp = Blueprint("accounts", __name__)
add_nav_item("accounts.regions", _l("Regioni"), order=10)
add_nav_item("accounts.people", _l("Persone"), order=80, visible=any_admin)
add_nav_item("accounts.invitations_page", _l("Inviti"), order=81, visible=any_admin)
add_nav_item("accounts.log", _l("Registro attività"), order=82, visible=any_admin)
add_nav_item("accounts.failed_jobs_page", _l("Attività non riuscite"), order=83, visible=platform_admin)

from lab.accounts import (  # noqa: E402,F401
    admin_routes, audit_routes, auth, job_routes, region_routes, routes, twofactor_routes,
)
