"""Expected status per role for the Pact's routes (see tests/test_access_matrix.py)."""
from lab.pact import services, versions
from tests.access import ROLES, everyone
from tests.factories import make_person
from tests.pact.conftest import TEXT, declaration


def _only(allowed_role, status):
    return {"anonymous": 302, **{r: (status if r == allowed_role else 403) for r in ROLES[1:]}}


RULES = {
    "pact.register": ("GET", "/pact", everyone(200)),
    "pact.version": ("GET", "/pact/versions/1", everyone(200)),
    "pact.entry": ("GET", "/pact/ledger/1", everyone(200)),
    "pact.certificate": ("GET", "/pact/ledger/1/certificate.pdf", everyone(200)),
    "pact.ledger_json": ("GET", "/pact/ledger.json", everyone(200)),
    "pact.registry_csv": ("GET", "/pact/registry.csv", everyone(200)),
    "pact.checkpoint": ("GET", "/pact/checkpoint", everyone(200)),
    "pact.key": ("GET", "/pact/key", everyone(200)),
    "pact.key_pem": ("GET", "/pact/key.pem", everyone(200)),
    "pact.sign": ("GET", "/pact/sign", _only("signatory", 200)),
    "pact.withdraw": ("GET", "/pact/withdraw", _only("signatory", 200)),
    "pact.admin_versions": ("GET", "/pact/admin", _only("admin", 200)),
    "pact.admin_version": ("GET", "/pact/admin/versions/1", _only("admin", 200)),
    "pact.publish_version": ("POST", "/pact/admin/versions/1/publish", _only("admin", 302)),
}


def make_targets(people):
    """Publish version 1 and record Toscana's adhesion as entry 1.

    Toscana's signatory signs, not the matrix's: signing sets up their two-factor sign-in, and
    the matrix signs its people in with the password alone.
    """
    version = versions.publish(people["admin"], versions.save_draft(people["admin"], "Patto", TEXT))
    toscana = make_person("firma@toscana.example", "Firma Toscana", "delegate", "toscana",
                          mandate=True)
    services.sign_pact(toscana, version, declaration(toscana))
    return {}
