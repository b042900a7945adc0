"""Every user-facing string is in the English catalogue, and translated."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def extracted_ids(tmp_path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "--no-location",
         "--ignore-dirs", ".*", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_english_catalogue_covers_every_string(tmp_path):
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
    missing = extracted_ids(tmp_path) - known
    assert not missing, f"run `make extract-messages` and translate: {sorted(missing)[:10]}"


def test_every_english_string_is_translated():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    untranslated = [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, untranslated[:10]
