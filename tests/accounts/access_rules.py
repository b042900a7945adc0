"""Expected status per role for the core and accounts routes (see tests/test_access_matrix.py).

URL templates may use {delegate}, {assignment}, {mandate}, {invitation} and {token}: objects
in Piemonte made by the matrix's ``world`` fixture; ``make_targets`` adds {job_failure}.
"""
import pickle
from email.message import EmailMessage

from lab.core.mail import deliver_mail
from lab.core.models import JobFailure
from lab.extensions import db
from tests.access import admins, everyone, platform_admin, signed_in

# endpoint -> (method, url template, expected status per role)
RULES = {
    "core.home": ("GET", "/", everyone(200)),
    "core.accessibility": ("GET", "/accessibility", everyone(200)),
    "core.welcome": ("GET", "/welcome", signed_in(200)),
    "notifications.save": ("POST", "/account/notifications", signed_in(302)),
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
    # Nobody may end a session that is not theirs: this one is nobody's.
    "accounts.end_session": ("POST", "/account/sessions/999999/end", signed_in(404)),
    "accounts.end_other_sessions": ("POST", "/account/sessions/end-others", signed_in(302)),
    "accounts.export_data": ("GET", "/account/data.json", signed_in(200)),
    "accounts.people": ("GET", "/admin/people", admins(200, other_region=200)),
    "accounts.person": ("GET", "/admin/people/{delegate}", admins(200)),
    "accounts.grant_role": ("POST", "/admin/people/{delegate}/roles", admins(302)),
    "accounts.end_role": ("POST", "/admin/roles/{assignment}/end", admins(302)),
    "accounts.grant_mandate": ("POST", "/admin/people/{delegate}/mandates", admins(400)),
    "accounts.confirm_mandate": ("POST", "/admin/mandates/{mandate}/confirm", admins(302)),
    "accounts.end_mandate": ("POST", "/admin/mandates/{mandate}/end", admins(302)),
    "accounts.sign_out_everywhere": ("POST", "/admin/people/{delegate}/sign-out", admins(302)),
    "accounts.deactivate": ("POST", "/admin/people/{delegate}/deactivate", admins(302)),
    "accounts.reactivate": ("POST", "/admin/people/{delegate}/reactivate", admins(302)),
    "accounts.erase": ("POST", "/admin/people/{delegate}/erase", admins(302)),
    "accounts.mandate_pdf": ("GET", "/mandates/{mandate}/act.pdf", admins(404)),
    "accounts.invitations_page": ("GET", "/admin/invitations", admins(200, other_region=200)),
    "accounts.resend_invitation": ("POST", "/admin/invitations/{invitation}/resend", admins(302)),
    "accounts.revoke_invitation": ("POST", "/admin/invitations/{invitation}/revoke", admins(302)),
    "accounts.log": ("GET", "/admin/audit", admins(200, other_region=200)),
    "accounts.failed_jobs_page": ("GET", "/admin/jobs", platform_admin(200)),
    "accounts.retry_job": ("POST", "/admin/jobs/{job_failure}/retry", platform_admin(302)),
    "accounts.dismiss_job": ("POST", "/admin/jobs/{job_failure}/dismiss", platform_admin(302)),
    # Without a password-checked sign-in waiting for its code, back to the sign-in page.
    "accounts.two_factor_sign_in": ("GET", "/sign-in/code", everyone(302)),
    "accounts.two_factor": ("GET", "/account/two-factor", signed_in(200)),
    "accounts.start_two_factor": ("POST", "/account/two-factor/setup", signed_in(302)),
    "accounts.confirm_two_factor": ("POST", "/account/two-factor/confirm", signed_in(400)),
    "accounts.regenerate_recovery_codes": ("POST", "/account/two-factor/recovery-codes",
                                           signed_in(400)),
    "accounts.disable_two_factor": ("POST", "/account/two-factor/disable", signed_in(400)),
    "accounts.reset_two_factor": ("POST", "/admin/people/{delegate}/two-factor/reset", admins(302)),
}


def make_targets(people):
    """A mail that failed every attempt."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "lab@example.org", "lost@example.org", "Hi"
    message.set_content("Ciao")
    failure = JobFailure(job=f"{deliver_mail.__module__}.{deliver_mail.__qualname__}",
                         summary="lost@example.org: Hi", error="ConnectionRefusedError(111)",
                         arguments=pickle.dumps((message.as_bytes(),)))
    db.session.add(failure)
    db.session.commit()
    return {"job_failure": failure.id}
