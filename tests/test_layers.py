"""Dependencies point one way: the core imports no domain (domains lend it template globals),
and nothing imports the rooms but the application itself."""
import re
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "lab" / "core"
DOMAIN_IMPORT = re.compile(
    r"^\s*(from|import) lab\.(accounts|pact|groups|rooms|library|events|notifications)\b", re.M)


def test_the_core_imports_no_domain():
    offenders = [path.name for path in CORE.glob("*.py") if DOMAIN_IMPORT.search(path.read_text())]
    assert offenders == []


LAB = CORE.parent
ROOMS_IMPORT = re.compile(r"^\s*(from lab\.rooms\b|import lab\.rooms\b|from lab import .*\brooms\b)", re.M)
# The application's own assembly: the factory, its commands and the demo loader that calls
# every domain's.
ASSEMBLY = {"__init__.py", "cli.py", "demo.py"}


def test_nothing_imports_the_rooms_but_the_application():
    importers = {path.relative_to(LAB) for path in LAB.rglob("*.py")
                 if ROOMS_IMPORT.search(path.read_text())}
    offenders = {str(path) for path in importers
                 if path.parts[0] != "rooms" and str(path) not in ASSEMBLY}
    assert offenders == set()
def test_the_pact_imports_no_events():
    """Events import the Pact and lend it their signing occasions (lab/pact/occasions.py)."""
    pact = CORE.parent / "pact"
    offenders = [path.name for path in pact.glob("*.py")
                 if re.search(r"^\s*(from|import) lab\.events\b", path.read_text(), re.M)]
    assert offenders == []
