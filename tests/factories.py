"""Test data built through the same services the application uses."""
from datetime import date, datetime

import pyotp

from lab.accounts import twofactor
from lab.accounts.models import Role
from lab.accounts.setup import ensure_person

PASSWORD = "prova-lunga-del-Laboratorio-2019"


def make_person(email, name, role, region=None, mandate=False, since=datetime(2019, 1, 1)):
    """Create a person holding one role (with a current signatory mandate if asked)."""
    return ensure_person(
        email, name, PASSWORD, [Role(role)], region, since,
        ("DGR n. 1-100 del 10/01/2019", date(2019, 1, 10)) if mandate else None,
    )


def enable_two_factor(user) -> list[str]:
    """Set up the person's authenticator through the service; return their recovery codes.

    The set-up uses the current step's code, so the next code (``next_code``) is the one after.
    """
    secret = twofactor.begin_enrolment(user)
    return twofactor.confirm_enrolment(user, pyotp.TOTP(secret).at(
        twofactor.current_step() * twofactor.STEP_SECONDS))


def next_code(user) -> str:
    """The code the person's app shows that the platform accepts next, setting the app up first.

    Codes are accepted one step ahead of the clock, so two codes fit in each 30-second step;
    tests needing more move ``twofactor.current_step`` on.
    """
    if not twofactor.is_enabled(user):
        enable_two_factor(user)
    settings = twofactor.settings_of(user)
    step = max(twofactor.current_step(), (settings.last_step or 0) + 1)
    return twofactor.authenticator(settings).generate_otp(step)
