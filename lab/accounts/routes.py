"""Sign in and out, passwords, invitations from the invitee's side, the account page, language."""
from flask import current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user

from lab.accounts import auth, bp, invitations, offboarding, services, sessions, twofactor
from lab.accounts import twofactor_routes
from lab.accounts.signin import sign_in_browser
from lab.accounts.forms import (
    AcceptInvitationForm, ButtonForm, ChangePasswordForm, ForgotPasswordForm, NewPasswordForm,
    SignInForm,
)
from lab.core.errors import DomainError
from lab.core.i18n import LANG_COOKIE
from lab.core.urls import safe_next
from lab.extensions import limiter


def _sign_in_key() -> str:
    return f"{services.normalise_email(request.form.get('email', ''))}|{get_remote_address()}"


def _sign_in_failed(_response) -> bool:
    return g.get("sign_in_failed", False)


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT"], key_func=_sign_in_key,
               methods=["POST"], deduct_when=_sign_in_failed, scope="sign-in-account")
@limiter.limit(lambda: current_app.config["SIGN_IN_ADDRESS_LIMIT"], methods=["POST"],
               deduct_when=_sign_in_failed, scope="sign-in-address")
def sign_in():
    """Sign in with email and password."""
    form = SignInForm(email=request.args.get("email"))
    if form.validate_on_submit():
        try:
            user = auth.authenticate(form.email.data, form.password.data, get_remote_address())
        except auth.SignInFailed as error:
            g.sign_in_failed = True
            form.password.errors.append(error.message)
            return render_template("accounts/sign_in.html", form=form), 401
        if twofactor.is_enabled(user):
            return twofactor_routes.ask_for_code(user, form.remember.data)
        sign_in_browser(user, form.remember.data)
        return redirect(safe_next(request.args.get("next")) or url_for("accounts.account"))
    return render_template("accounts/sign_in.html", form=form)


@bp.post("/sign-out")
@login_required
def sign_out():
    """Sign out of this browser."""
    auth.sign_out(current_user)
    logout_user()
    flash(_("Sei uscito dalla piattaforma."), "success")
    return redirect(url_for("core.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    """Ask for a password reset link by email."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        auth.request_password_reset(form.email.data, get_remote_address())
        flash(_("Se l'indirizzo corrisponde a un account, riceverai un'email con il collegamento "
                "per scegliere una nuova password. Il collegamento vale un'ora."), "info")
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the emailed link."""
    auth.user_for_reset_token(token)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            auth.reset_password(token, form.password.data, get_remote_address())
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            flash(_("Password aggiornata: ora puoi accedere."), "success")
            return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Create an account from an invitation link."""
    try:
        invitation = invitations.pending_invitation(token)
    except invitations.InvitationClosed as closed:
        return render_template("accounts/invitation_closed.html", closed=closed), 400
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(token, form.full_name.data, form.password.data)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            sign_in_browser(user)
            flash(_("Account creato: sei entrato nel Laboratorio."), "success")
            return redirect(url_for("core.welcome"))
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation,
                           role_label=invitations.role_label(invitation.role))


@bp.get("/account")
@login_required
def account():
    """Show the signed-in person's account, roles, mandates and sessions."""
    return _account_page(ChangePasswordForm())


def _account_page(form, status: int = 200):
    return render_template("accounts/account.html", form=form, button=ButtonForm(),
                           sessions=sessions.live_sessions(current_user)), status


@bp.post("/account/password")
@login_required
def change_password():
    """Change the signed-in person's password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            auth.change_password(current_user, form.current.data, form.password.data)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            flash(_("Password aggiornata: le altre sessioni sono state chiuse."), "success")
            return redirect(url_for("accounts.account"))
    return _account_page(form, 400)


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int):
    """End one of the person's other sessions (another browser or device)."""
    row = sessions.own_session(current_user, session_id)
    if ButtonForm().validate_on_submit():
        sessions.end_session(current_user, row)
        flash(_("Sessione chiusa."), "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    """End every session of the person but this one."""
    if ButtonForm().validate_on_submit():
        sessions.end_other_sessions(current_user)
        flash(_("Tutte le altre sessioni sono state chiuse."), "success")
    return redirect(url_for("accounts.account"))


@bp.get("/account/data.json")
@login_required
def export_data():
    """Download the personal data the platform holds about the signed-in person."""
    response = jsonify(offboarding.export_personal_data(current_user))
    response.headers["Content-Disposition"] = "attachment; filename=laboratorio-dati-personali.json"
    return response


@bp.after_app_request
def note_last_seen(response):
    """Refresh when the request's session was last seen (a write every few minutes at most)."""
    sessions.note_last_seen()
    return response


@bp.post("/lang")
def set_language():
    """Switch the interface language and remember the choice."""
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        return render_template("errors/error.html", status=400, title=_("Richiesta non valida"),
                               message=_("Lingua non disponibile.")), 400
    if current_user.is_authenticated:
        services.set_locale(current_user, lang)
    response = redirect(safe_next(request.form.get("next")) or url_for("core.home"))
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax",
                        httponly=True, secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response
