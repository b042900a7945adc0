"""Pact fixtures: a published version and a way to sign as a delegate with authority."""
import pytest

from lab.pact import services, versions
from tests.factories import PASSWORD

TEXT = "# Patto\n\nLe Regioni firmatarie si impegnano.\n"


@pytest.fixture
def version(admin):
    draft = versions.save_draft(admin, "Patto per l'innovazione sociale", TEXT)
    return versions.publish(admin, draft)


def declaration(**changes):
    fields = {"password": PASSWORD, "declared": True, "title": "Assessore alle Politiche sociali",
              "place": "Torino", "event": "", "reason": "Motivo"}
    fields.update(changes)
    return services.Declaration(**fields)


@pytest.fixture
def sign(version):
    """Sign the current version as ``person`` with a valid declaration (overridable)."""
    def _sign(person, **changes):
        return services.sign_pact(person, versions.current_version(), declaration(**changes))
    return _sign
