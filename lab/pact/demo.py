"""Demo register: version 1 (the 2019 text), the founding adhesions of 23 January 2019 in Turin,
one later accession and one withdrawal made through the signing service."""
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pyotp
from sqlalchemy import func, select

from lab.accounts import twofactor
from lab.accounts.demo import DEMO_PASSWORD
from lab.accounts.models import Region
from lab.accounts.services import user_by_email
from lab.extensions import db
from lab.pact import ledger, services, versions
from lab.pact.models import LedgerEntry

TEXT = Path(__file__).parent / "data" / "pact_2019.md"
FORUM = "Forum dell'innovazione sociale"
FOUNDERS = ["piemonte", "toscana", "molise", "calabria", "puglia", "sardegna", "trento"]


def load() -> list[str]:
    """Load the demo register unless the register already has entries."""
    version = versions.current_version()
    if version is None:
        version = versions.save_draft(None, "Patto per l'innovazione sociale", TEXT.read_text("utf-8"))
        versions.publish(None, version, published_at=datetime(2019, 1, 23, 8, 0))
    if db.session.scalar(select(func.count()).select_from(LedgerEntry)):
        return ["Pact register already has entries: demo register left as it is."]
    start = datetime(2019, 1, 23, 10, 0)  # 11:00 in Turin
    for offset, slug in enumerate(FOUNDERS):
        _founding_adhesion(version, slug, start + timedelta(minutes=5 * offset))
    db.session.commit()
    with _second_factor("firma.lazio@laboratorio.example") as (person, code):
        services.sign_pact(person, version, services.Declaration(
            password=DEMO_PASSWORD, code=code, declared=True,
            title="Assessore alle Politiche sociali (demo)", place="Roma"), demo=True)
    with _second_factor("firma.sardegna@laboratorio.example") as (person, code):
        services.withdraw(person, services.Declaration(
            password=DEMO_PASSWORD, code=code, declared=True, place="Cagliari",
            reason="Recesso dimostrativo, per mostrare tutti gli stati sulla mappa."), demo=True)
    return [f"Pact: version {version.number} and {len(FOUNDERS) + 2} register entries (demo)."]


@contextmanager
def _second_factor(email: str):
    """Lend a demo signer two-factor sign-in for one act: the person and their app's next code.

    Signing asks for that code; turning it off again afterwards keeps the demo account usable
    by someone without the app (they get the grace period at their first sign-in).
    """
    person = user_by_email(email)
    totp = pyotp.TOTP(twofactor.begin_enrolment(person))
    recovery = twofactor.confirm_enrolment(person, totp.now())
    yield person, totp.at(time.time() + twofactor.STEP_SECONDS)  # the code after the one used
    twofactor.disable(person, DEMO_PASSWORD, recovery[0])


def _founding_adhesion(version, slug: str, signed_at: datetime) -> None:
    region = db.session.scalar(select(Region).where(Region.slug == slug))
    with ledger.ledger_locked():
        ledger.append({
            "kind": "adhesion", "region_id": region.id, "region_code": region.istat_code,
            "version_id": version.id, "version_number": version.number,
            "text_hash": version.text_hash, "signer_id": None,
            "signer_name": f"Firmatario dimostrativo ({region.name_it})",
            "signer_title": "Assessore alle Politiche sociali (dato dimostrativo)",
            "mandate_act": "Atto dimostrativo", "place": "Torino", "event": FORUM,
            "reason": "", "demo": True, "signed_at": signed_at,
        })
