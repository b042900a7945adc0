"""Fixtures for the groups: a closed group coordinated by a Toscana delegate."""
import pytest

from lab.groups import services
from tests.factories import make_person


@pytest.fixture
def coordinator():
    return make_person("coordina@example.org", "Cora Coordina", "delegate", "toscana")


@pytest.fixture
def group(admin, coordinator):
    group = services.create_group(admin, services.GroupDraft(
        "Politiche di prossimità", "Proximity policies", "Le *politiche* di prossimità.",
        "Proximity policies."))
    services.appoint_coordinator(admin, group, coordinator)
    return group


@pytest.fixture
def puglia_delegate():
    return make_person("puglia@example.org", "Paola Puglia", "delegate", "puglia")
