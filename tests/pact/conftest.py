"""Pact fixtures: a published version and a way to sign as a delegate with authority."""
import pytest

from lab.pact import services, versions
from tests.factories import PASSWORD, next_code

TEXT = "# Patto\n\nLe Regioni firmatarie si impegnano.\n"


@pytest.fixture(autouse=True)
def _codes_as_needed(authenticator_clock):
    """Signers use their authenticator's codes as often as a test needs (see tests/conftest.py)."""


@pytest.fixture
def version(admin):
    draft = versions.save_draft(admin, "Patto per l'innovazione sociale", TEXT)
    return versions.publish(admin, draft)


def declaration(person=None, **changes):
    """A valid declaration, with the code of ``person``'s authenticator (set up if need be)."""
    fields = {"password": PASSWORD, "declared": True, "title": "Assessore alle Politiche sociali",
              "place": "Torino", "event": "", "reason": "Motivo",
              "code": next_code(person) if person is not None else ""}
    fields.update(changes)
    return services.Declaration(**fields)


@pytest.fixture
def sign(version):
    """Sign the current version as ``person`` with a valid declaration (overridable)."""
    def _sign(person, **changes):
        return services.sign_pact(person, versions.current_version(),
                                  declaration(person, **changes))
    return _sign
