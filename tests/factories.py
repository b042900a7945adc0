"""Test data built through the same services the application uses."""
from datetime import date, datetime

from lab.accounts.models import Role
from lab.accounts.setup import ensure_person

PASSWORD = "prova-lunga-del-Laboratorio-2019"


def make_person(email, name, role, region=None, mandate=False, since=datetime(2019, 1, 1)):
    """Create a person holding one role (with a current signatory mandate if asked)."""
    return ensure_person(
        email, name, PASSWORD, [Role(role)], region, since,
        ("DGR n. 1-100 del 10/01/2019", date(2019, 1, 10)) if mandate else None,
    )
