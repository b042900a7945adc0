"""Expected status per role for the rooms routes (see tests/test_access_matrix.py).

``make_targets`` builds a group whose room only the matrix's Piemonte ``delegate`` (its
coordinator) and one other member may use; everyone else gets 403 there.
"""
from tests.access import ROLES, signed_in
from tests.factories import make_person


def room_members(allowed):
    return {**{role: 403 for role in ROLES}, "anonymous": 302, "delegate": allowed}


RULES = {
    "rooms.index": ("GET", "/rooms", signed_in(200)),
    "rooms.for_group": ("GET", "/groups/{room_group}/room", signed_in(302)),
    "rooms.show": ("GET", "/rooms/{room}", room_members(200)),
    "rooms.messages_json": ("GET", "/rooms/{room}/messages?after=0", room_members(200)),
    "rooms.post": ("POST", "/rooms/{room}/messages", room_members(302)),
    "rooms.search": ("GET", "/rooms/{room}/search?q=prova", room_members(200)),
    "rooms.history": ("GET", "/rooms/{room}/messages/1/history", room_members(200)),
    "rooms.propose": ("GET", "/rooms/{room}/messages/1/propose", room_members(200)),
    "rooms.mute": ("POST", "/rooms/{room}/mutes", room_members(302)),
    "rooms.lift_mute": ("POST", "/rooms/{room}/mutes/{mute}/lift", room_members(302)),
    "rooms.open_room": ("POST", "/groups/{room_group}/rooms", room_members(302)),
}

# The Laboratory-wide room: delegates, forum organisers and platform admins; not region admins.
_LABORATORY = {**{role: 200 for role in ROLES}, "anonymous": 302, "region_admin": 403,
               "other_region_admin": 403}
LABORATORY_RULES = [
    ("GET", "/rooms/{laboratory}", _LABORATORY),
    ("GET", "/rooms/{laboratory}/messages?after=0", _LABORATORY),
    ("POST", "/rooms/{laboratory}/messages",
     {role: 302 if status == 200 else status for role, status in _LABORATORY.items()}),
]


def make_targets(people):
    import uuid

    from lab.groups import services as groups
    from lab.rooms import messages, moderation, services

    coordinator = people["delegate"]
    group = groups.create_group(people["admin"], groups.GroupDraft("Gruppo con stanza", "Room group"))
    groups.appoint_coordinator(people["admin"], group, coordinator)
    member = make_person("room.member@example.org", "Room Member", "delegate", "veneto")
    groups.accept_request(coordinator, groups.ask_to_join(member, group))
    room = services.group_room(group)
    messages.post_message(coordinator, room.id, "Prova di messaggio", uuid.uuid4().hex)
    mute = moderation.mute_member(coordinator, room, member, 30)
    return {"room_group": group.slug, "room": room.id, "mute": mute.id,
            "laboratory": services.laboratory_room().id}
