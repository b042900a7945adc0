"""The library's demo data: WECARE's measures as Piemonte's published practices, and a few
marked demo practices in other states; loading twice changes nothing."""
from decimal import Decimal

from sqlalchemy import select

from lab.demo import load_demo
from lab.extensions import db
from lab.library import access
from lab.library.models import Practice

FUNDS = {"FSE1": Decimal("6400000.00"), "FSE2": Decimal("3600000.00"),
         "FSE3": Decimal("4000000.00"), "FESR": Decimal("5000000.00"),
         "FSE4": Decimal("1000000.00")}


def test_wecare_measures_are_piemontes_published_practices(app):
    load_demo()
    load_demo()
    practices = list(db.session.scalars(select(Practice)))
    wecare = {p.title.split()[1]: p for p in practices if p.title.startswith("WECARE ")}
    assert set(wecare) == set(FUNDS)
    for code, practice in wecare.items():
        assert practice.lead_region.slug == "piemonte" and access.is_public(practice)
        assert practice.fundings[0].amount == FUNDS[code]
        assert practice.fundings[0].measure == f"WECARE – Misura {code}"
        assert practice.published_revision.snapshot["fundings"][0]["amount"] == str(FUNDS[code])
    assert sum(f.amount for p in wecare.values() for f in p.fundings) == Decimal("20000000.00")
    others = [p for p in practices if p not in wecare.values()]
    assert all(p.demo and p.title.startswith("[Dimostrativa]") for p in others)
    assert {p.lead_region.slug for p in others} == {"toscana", "puglia", "trento"}
    assert {p.status for p in others} >= {"draft", "submitted", "published"}
    assert any(p.kind == "lesson" for p in others)
