"""Forms of the accounts domain; labels in Italian, translated by Flask-Babel."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from lab.accounts.models import Role
from lab.core.forms import Form


EMAIL = {"autocomplete": "email"}
NEW_PASSWORD = {"autocomplete": "new-password"}
CURRENT_PASSWORD = {"autocomplete": "current-password"}


class SignInForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw=EMAIL)
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw=CURRENT_PASSWORD)
    remember = BooleanField(_l("Ricordami su questo dispositivo"))


class ForgotPasswordForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw=EMAIL)


class NewPasswordForm(Form):
    password = PasswordField(_l("Nuova password"), validators=[DataRequired(), Length(max=256)],
                             description=_l("Almeno 12 caratteri; evita parole e sequenze comuni."),
                             render_kw=NEW_PASSWORD)
    confirm = PasswordField(_l("Ripeti la nuova password"), validators=[
        DataRequired(), EqualTo("password", message=_l("Le due password non coincidono."))],
        render_kw=NEW_PASSWORD)


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Password attuale"), validators=[DataRequired()],
                            render_kw=CURRENT_PASSWORD)


class AcceptInvitationForm(NewPasswordForm):
    full_name = StringField(_l("Nome e cognome"), validators=[DataRequired(), Length(max=120)],
                            render_kw={"autocomplete": "name"})


ROLE_LABELS = {
    Role.DELEGATE: _l("Delegato regionale"),
    Role.REGION_ADMIN: _l("Amministratore regionale"),
    Role.ORGANISER: _l("Organizzatore di forum"),
    Role.EDITORIAL_BOARD: _l("Comitato editoriale della biblioteca"),
    Role.PLATFORM_ADMIN: _l("Amministratore della piattaforma"),
}


def role_choices(roles) -> list[SelectChoice]:
    """The roles as choices, in the order of ``ROLE_LABELS``: pass only those the actor may give."""
    return [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items() if role in roles]


class InvitationForm(Form):
    email = EmailField(_l("Email della persona da invitare"),
                       validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Ruolo"))
    region = SelectField(_l("Regione"), validators=[Optional()])


class GrantRoleForm(Form):
    role = SelectField(_l("Ruolo"))
    region = SelectField(_l("Regione"), validators=[Optional()])


class MandateForm(Form):
    act = StringField(_l("Atto di conferimento"), validators=[DataRequired(), Length(max=300)],
                      description=_l("Per esempio: DGR n. 12-3456 del 10/01/2019"))
    act_pdf = FileField(_l("Copia dell'atto (PDF, facoltativa)"),
                        validators=[FileAllowed(["pdf"], _l("Carica un file PDF."))])
    starts_on = DateField(_l("Valido dal"), validators=[DataRequired()])
    ends_on = DateField(_l("Valido fino al (facoltativo)"), validators=[Optional()])


class ButtonForm(Form):
    """A form with no fields: a button that still carries the CSRF token."""


class ConfirmForm(Form):
    """A button that acts only once the person ticked that they mean it."""

    confirm = BooleanField(_l("Confermo"), validators=[DataRequired(_l("Spunta la conferma."))])


def code_field(description, label=_l("Codice")) -> StringField:
    """A field for an authenticator's (or a recovery) code, which browsers may fill in."""
    return StringField(label, validators=[DataRequired(), Length(max=40)],
                       description=description, render_kw={"autocomplete": "one-time-code",
                                                           "autocapitalize": "off",
                                                           "spellcheck": "false"})


class EnrolmentForm(Form):
    code = code_field(_l("Le 6 cifre che l'app mostra ora."))


class CodeForm(Form):
    code = code_field(_l("Le 6 cifre che l'app di autenticazione mostra ora, "
                         "oppure uno dei codici di recupero."))


class IdentityForm(CodeForm):
    """Password and code, to renew the recovery codes or turn two-factor sign-in off."""

    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)],
                             render_kw=CURRENT_PASSWORD)
