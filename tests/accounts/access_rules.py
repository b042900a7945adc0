"""Expected status per role for the core and accounts routes (see tests/test_access_matrix.py).

URL templates may use {delegate}, {assignment}, {mandate}, {invitation} and {token}: objects
in Piemonte made by the matrix's ``world`` fixture.
"""
from tests.access import admins, everyone, signed_in

# endpoint -> (method, url template, expected status per role)
RULES = {
    "core.home": ("GET", "/", everyone(200)),
    "core.accessibility": ("GET", "/accessibility", everyone(200)),
    "core.favicon": ("GET", "/favicon.ico", everyone(200)),
    "core.healthz": ("GET", "/healthz", everyone(200)),
    "core.vendor": ("GET", "/vendor/bootstrap-italia/dist/css/bootstrap-italia.min.css", everyone(200)),
    "static": ("GET", "/static/css/lab.css", everyone(200)),
    "accounts.set_language": ("POST", "/lang?lang=it", everyone(400)),
    "accounts.regions": ("GET", "/regions", everyone(200)),
    "accounts.region": ("GET", "/regions/piemonte", everyone(200)),
    "accounts.sign_in": ("GET", "/sign-in", everyone(200)),
    "accounts.sign_out": ("POST", "/sign-out", signed_in(302)),
    "accounts.forgot_password": ("GET", "/password/forgot", everyone(200)),
    "accounts.reset_password": ("GET", "/password/reset/forged", everyone(400)),
    "accounts.accept_invitation": ("GET", "/invitations/{token}", everyone(200)),
    "accounts.account": ("GET", "/account", signed_in(200)),
    "accounts.change_password": ("POST", "/account/password", signed_in(400)),
    "accounts.people": ("GET", "/admin/people", admins(200, other_region=200)),
    "accounts.person": ("GET", "/admin/people/{delegate}", admins(200)),
    "accounts.grant_role": ("POST", "/admin/people/{delegate}/roles", admins(302)),
    "accounts.end_role": ("POST", "/admin/roles/{assignment}/end", admins(302)),
    "accounts.grant_mandate": ("POST", "/admin/people/{delegate}/mandates", admins(400)),
    "accounts.end_mandate": ("POST", "/admin/mandates/{mandate}/end", admins(302)),
    "accounts.mandate_pdf": ("GET", "/mandates/{mandate}/act.pdf", admins(404)),
    "accounts.invitations_page": ("GET", "/admin/invitations", admins(200, other_region=200)),
    "accounts.resend_invitation": ("POST", "/admin/invitations/{invitation}/resend", admins(302)),
    "accounts.revoke_invitation": ("POST", "/admin/invitations/{invitation}/revoke", admins(302)),
    "accounts.log": ("GET", "/admin/audit", admins(200, other_region=200)),
}
