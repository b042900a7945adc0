"""Expected status per role for the groups routes (see tests/test_access_matrix.py).

``make_targets`` builds a closed group that the matrix's Piemonte ``delegate`` coordinates,
with a pending request, a member and a second coordinator to act upon.
"""
from tests.access import ROLES, everyone, signed_in
from tests.factories import make_person


def coordinators(allowed):
    """The group's coordinator (the matrix's delegate) and platform admins get ``allowed``."""
    return {**{role: 403 for role in ROLES}, "anonymous": 302, "delegate": allowed, "admin": allowed}


def platform_admin(allowed):
    return {**{role: 403 for role in ROLES}, "anonymous": 302, "admin": allowed}


RULES = {
    "groups.index": ("GET", "/groups", everyone(200)),
    "groups.show": ("GET", "/groups/{group}", everyone(200)),
    "groups.new": ("GET", "/groups/new", platform_admin(200)),
    # Region admins, organisers and platform admins are not delegates: 403. The delegate
    # (already a member) is told so; the signatory joins.
    "groups.join": ("POST", "/groups/{group}/join",
                    {**platform_admin(403), "delegate": 302, "signatory": 302}),
    "groups.leave": ("POST", "/groups/{group}/leave", signed_in(302)),
    "groups.accept": ("POST", "/groups/{group}/requests/{request}/accept", coordinators(302)),
    "groups.decline": ("POST", "/groups/{group}/requests/{request}/decline", coordinators(302)),
    "groups.remove": ("POST", "/groups/{group}/members/{member}/remove", coordinators(302)),
    "groups.openness": ("POST", "/groups/{group}/openness", coordinators(302)),
    "groups.appoint": ("POST", "/groups/{group}/coordinators", platform_admin(302)),
    "groups.end_coordination": ("POST", "/groups/{group}/coordinators/{coordination}/end",
                                platform_admin(302)),
}


def make_targets(people):
    from lab.groups import services

    admin = people["admin"]
    group = services.create_group(admin, services.GroupDraft("Gruppo della matrice", "Matrix group"))
    services.appoint_coordinator(admin, group, people["delegate"])
    second = make_person("coord2@example.org", "Second Coordinator", "delegate", "liguria")
    coordination = services.appoint_coordinator(admin, group, second)
    asking = make_person("asking@example.org", "Asking", "delegate", "toscana")
    request = services.ask_to_join(asking, group)
    member = make_person("member@example.org", "Member", "delegate", "puglia")
    membership = services.ask_to_join(member, group)
    services.accept_request(people["delegate"], membership)
    return {"group": group.slug, "request": request.id, "member": membership.id,
            "coordination": coordination.id}
