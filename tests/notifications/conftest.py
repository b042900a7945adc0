"""The rooms' fixtures (a group with its room, a coordinator, a member, an outsider)."""
from tests.rooms.conftest import connect, coordinator, group, outsider, room  # noqa: F401
