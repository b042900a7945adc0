"""Fixtures for the library: a theme group with a Puglia coordinator, a Toscana author, a board
member, and practices in each state of the workflow."""
from datetime import date
from decimal import Decimal

import pytest

from lab.groups import services as groups
from lab.groups.queries import group_by_slug
from lab.groups.themes import ensure_themes
from lab.library import services, workflow
from lab.library.services import Funding, Indicator, Organisation, PracticeDraft
from tests.factories import make_person

THEME = "prossimita-domiciliarita"


@pytest.fixture
def theme(admin, coordinator):
    ensure_themes()
    group = group_by_slug(THEME)
    groups.appoint_coordinator(admin, group, coordinator)
    return group


@pytest.fixture
def coordinator():
    return make_person("coordina@example.org", "Cora Coordina", "delegate", "puglia")


@pytest.fixture
def author():
    return make_person("autrice@example.org", "Tina Toscana", "delegate", "toscana")


@pytest.fixture
def colleague():
    """Another delegate of the author's region."""
    return make_person("collega@example.org", "Carlo Collega", "delegate", "toscana")


@pytest.fixture
def board():
    return make_person("comitato@example.org", "Bruna Board", "editorial_board")


def make_draft(group, **changes) -> PracticeDraft:
    fields = dict(
        title="Custodi di quartiere", summary="Portieri sociali nei condomini popolari.",
        primary_group_id=group.id, scale="municipal", started_on=date(2020, 1, 1),
        problem="Anziani soli.", intervention="Un *portiere* sociale per scala.",
        targets=["older_people"],
        organisations=[Organisation("Comune di Prato", "public_body", True)],
        fundings=[Funding("fse", "POR FSE 2014-2020", Decimal("125000.50"))],
        indicators=[Indicator("Persone seguite", "persone", Decimal(0), Decimal(200),
                              Decimal(180), date(2021, 6, 30))],
        evidence_level=2, evidence_justification="Monitoraggio trimestrale.",
        contact_role="Ufficio politiche sociali", contact_office="Piazza del Comune 1, Prato")
    fields.update(changes)
    return PracticeDraft(**fields)


@pytest.fixture
def draft(author, theme):
    return services.create_practice(author, make_draft(theme))


@pytest.fixture
def submitted(draft, author):
    workflow.submit_practice(author, draft)
    return draft


@pytest.fixture
def approved(submitted, coordinator):
    workflow.approve_practice(coordinator, submitted, 2)
    return submitted


@pytest.fixture
def published(approved, board):
    workflow.publish_practice(board, approved)
    return approved
