"""Dependencies point one way: the core imports no domain (domains lend it template globals)."""
import re
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "lab" / "core"
DOMAIN_IMPORT = re.compile(
    r"^\s*(from|import) lab\.(accounts|pact|groups|rooms|library|events|notifications)\b", re.M)


def test_the_core_imports_no_domain():
    offenders = [path.name for path in CORE.glob("*.py") if DOMAIN_IMPORT.search(path.read_text())]
    assert offenders == []


def test_the_pact_imports_no_events():
    """Events import the Pact and lend it their signing occasions (lab/pact/occasions.py)."""
    pact = CORE.parent / "pact"
    offenders = [path.name for path in pact.glob("*.py")
                 if re.search(r"^\s*(from|import) lab\.events\b", path.read_text(), re.M)]
    assert offenders == []
