"""Where a signed-in person starts: their region and its Pact, their groups, the rooms."""
from dataclasses import dataclass

from lab.accounts.models import Region, User
from lab.groups.models import Group
from lab.groups.queries import groups_of
from lab.pact.services import standing_of


@dataclass
class Start:
    person: User
    region: Region | None
    standing: str | None  # the region's status in the Pact's register
    groups: list[Group]


def start_for(person: User) -> Start:
    """Gather what the welcome and the home page show a signed-in person."""
    region = person.region
    return Start(person, region, standing_of(region).status if region else None, groups_of(person))
