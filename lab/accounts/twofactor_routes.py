"""Two-factor sign-in: the second step of signing in, setting it up, renewing, turning it off."""
import time

from flask import (
    current_app, flash, g, make_response, redirect, render_template, request, session, url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from lab.accounts import bp, services, twofactor
from lab.accounts.signin import sign_in_browser
from lab.accounts.forms import ButtonForm, CodeForm, EnrolmentForm, IdentityForm
from lab.core.errors import DomainError
from lab.core.security import admin_required
from lab.core.urls import safe_next
from lab.extensions import limiter

PENDING = "two_factor_pending"
PENDING_SECONDS = 300
# What a person past their grace period may still reach until they set two-factor sign-in up.
OPEN_WHILE_LOCKED = frozenset({
    "static", "core.vendor", "core.healthz", "socketio", "accounts.sign_out",
    "accounts.set_language", "accounts.two_factor", "accounts.start_two_factor",
    "accounts.confirm_two_factor",
})


def _person_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    pending = session.get(PENDING)
    return f"user:{pending.get('user')}" if isinstance(pending, dict) else get_remote_address()


def _code_refused(_response) -> bool:
    return g.get("code_refused", False)


def throttle_codes(view):
    """Allow each person five refused codes or passwords per 15 minutes, on all such forms."""
    return limiter.shared_limit(lambda: current_app.config["SIGN_IN_LIMIT"], scope="two-factor",
                                key_func=_person_key, methods=["POST"],
                                deduct_when=_code_refused)(view)


def refused(form_field, error: DomainError) -> None:
    """Show a refusal under the field and count it towards the person's throttle."""
    g.code_refused = True
    form_field.errors.append(error.message)


# --- the second step of signing in ------------------------------------------------------------

def ask_for_code(user, remember: bool):
    """Hold a sign-in whose password was right until the code comes; it grants nothing meanwhile."""
    session[PENDING] = {"user": user.id, "stamp": twofactor.credentials_stamp(user),
                        "until": time.time() + PENDING_SECONDS, "remember": bool(remember)}
    return redirect(url_for("accounts.two_factor_sign_in",
                            next=safe_next(request.args.get("next"))))


def _pending_person():
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        return None
    return twofactor.pending_person(pending.get("user"), pending.get("stamp"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@throttle_codes
@limiter.limit(lambda: current_app.config["SIGN_IN_ADDRESS_LIMIT"], methods=["POST"],
               deduct_when=_code_refused, scope="two-factor-address")
def two_factor_sign_in():
    """Finish signing in with the authenticator app's code or a recovery code."""
    user = _pending_person()
    if user is None:
        session.pop(PENDING, None)
        flash(_("Inserisci di nuovo email e password: la richiesta del codice è scaduta."), "info")
        return redirect(url_for("accounts.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            twofactor.complete_sign_in(user, form.code.data, get_remote_address())
        except DomainError as error:
            refused(form.code, error)
            return render_template("accounts/two_factor_sign_in.html", form=form), 401
        sign_in_browser(user, remember=session.pop(PENDING)["remember"])
        return redirect(safe_next(request.args.get("next")) or url_for("accounts.account"))
    return render_template("accounts/two_factor_sign_in.html", form=form)


@bp.before_app_request
def hold_until_enrolled():
    """Remind people who must set it up; past the grace period, keep them on the set-up page."""
    if request.endpoint in OPEN_WHILE_LOCKED or not current_user.is_authenticated:
        return None
    person = current_user._get_current_object()
    if not twofactor.is_required(person):  # most people: their roles say so, nothing to read
        return None
    standing = twofactor.note_requirement(person)
    g.two_factor_deadline = standing.deadline
    if standing.locked:
        return redirect(url_for("accounts.two_factor"))
    return None


# --- the person's own settings ----------------------------------------------------------------

def _settings_page(status: int = 200, **forms):
    user = current_user._get_current_object()
    return render_template(
        "accounts/two_factor.html", standing=twofactor.note_requirement(user),
        enrolment=twofactor.pending_enrolment(user),
        codes_left=twofactor.recovery_codes_left(user), button=ButtonForm(),
        enrolment_form=forms.get("enrolment_form") or EnrolmentForm(),
        identity_form=forms.get("identity_form") or IdentityForm(),
    ), status


def _recovery_codes_page(codes: list[str]):
    response = make_response(render_template("accounts/recovery_codes.html", codes=codes))
    response.headers["Cache-Control"] = "no-store"  # shown once: not kept in any cache
    return response


@bp.get("/account/two-factor")
@login_required
def two_factor():
    """Show the person's two-factor sign-in and what they can do with it."""
    return _settings_page()


@bp.post("/account/two-factor/setup")
@login_required
def start_two_factor():
    """Create a secret for the person's authenticator app and show it."""
    if ButtonForm().validate_on_submit():
        try:
            twofactor.begin_enrolment(current_user._get_current_object())
        except DomainError as error:
            flash(error.message, "danger")
    return redirect(url_for("accounts.two_factor"))


@bp.post("/account/two-factor/confirm")
@login_required
@throttle_codes
def confirm_two_factor():
    """Turn two-factor sign-in on with the app's first code, and show the recovery codes once."""
    form = EnrolmentForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            codes = twofactor.confirm_enrolment(user, form.code.data, get_remote_address())
        except DomainError as error:
            refused(form.code, error)
        else:
            sign_in_browser(user)  # turning it on ended every session, this one too
            return _recovery_codes_page(codes)
    return _settings_page(400, enrolment_form=form)


@bp.post("/account/two-factor/recovery-codes")
@login_required
@throttle_codes
def regenerate_recovery_codes():
    """Replace the recovery codes with new ones, shown once."""
    form = IdentityForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.regenerate_recovery_codes(
                current_user._get_current_object(), form.password.data, form.code.data,
                get_remote_address())
        except DomainError as error:
            refused(form.code, error)
        else:
            return _recovery_codes_page(codes)
    return _settings_page(400, identity_form=form)


@bp.post("/account/two-factor/disable")
@login_required
@throttle_codes
def disable_two_factor():
    """Turn two-factor sign-in off, with the password and a code."""
    form = IdentityForm()
    if form.validate_on_submit():
        try:
            twofactor.disable(current_user._get_current_object(), form.password.data,
                              form.code.data, get_remote_address())
        except DomainError as error:
            refused(form.code, error)
        else:
            flash(_("Accesso in due passaggi disattivato."), "success")
            return redirect(url_for("accounts.two_factor"))
    return _settings_page(400, identity_form=form)


@bp.post("/admin/people/<int:user_id>/two-factor/reset")
@admin_required
def reset_two_factor(user_id: int):
    """Turn off the two-factor sign-in of a person who lost their app, so they set it up again."""
    person = services.person_for(current_user, user_id)
    if ButtonForm().validate_on_submit():
        try:
            twofactor.reset(current_user._get_current_object(), person)
            flash(_("Accesso in due passaggi azzerato: la persona dovrà configurarlo di nuovo."),
                  "success")
        except DomainError as error:
            flash(error.message, "danger")
    return redirect(url_for("accounts.person", user_id=user_id))


bp.add_app_template_global(twofactor.is_enabled, "two_factor_enabled")
