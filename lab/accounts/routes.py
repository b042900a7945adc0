"""Sign in and out, passwords, invitations from the invitee's side, the account page, language."""
from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from lab.accounts import auth, bp, invitations, services
from lab.accounts.forms import (
    AcceptInvitationForm, ChangePasswordForm, ForgotPasswordForm, NewPasswordForm, SignInForm,
)
from lab.core.errors import DomainError
from lab.core.i18n import LANG_COOKIE
from lab.core.mail import MailError
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
        login_user(user, remember=form.remember.data)
        return redirect(safe_next(request.args.get("next")) or url_for("accounts.account"))
    return render_template("accounts/sign_in.html", form=form)


@bp.post("/sign-out")
@login_required
def sign_out():
    """Sign out of this browser."""
    auth.record_sign_out(current_user)
    logout_user()
    flash(_("Sei uscito dalla piattaforma."), "success")
    return redirect(url_for("core.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    """Ask for a password reset link by email."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            auth.request_password_reset(form.email.data, get_remote_address())
        except MailError:
            flash(_("Non è stato possibile inviare l'email: riprova tra qualche minuto."), "danger")
            return render_template("accounts/forgot_password.html", form=form), 503
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
            flash(_("Account creato. Accedi con la password che hai scelto."), "success")
            return redirect(url_for("accounts.sign_in", email=user.email))
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation,
                           role_label=invitations.role_label(invitation.role))


@bp.get("/account")
@login_required
def account():
    """Show the signed-in person's account, roles and mandates."""
    return render_template("accounts/account.html", form=ChangePasswordForm())


@bp.post("/account/password")
@login_required
def change_password():
    """Change the signed-in person's password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            auth.change_password(user, form.current.data, form.password.data)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            login_user(user)  # a new session id: the old one carries the old version
            flash(_("Password aggiornata."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form), 400


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
