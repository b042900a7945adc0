"""Helpers for the role matrix: the roles and the shapes of expected statuses per role."""

ROLES = ["anonymous", "delegate", "signatory", "region_admin", "other_region_admin",
         "organiser", "admin"]


def everyone(status):
    return {role: status for role in ROLES}


def signed_in(status):
    """Anonymous visitors are sent to sign in; everyone else gets ``status``."""
    return {"anonymous": 302, **{role: status for role in ROLES if role != "anonymous"}}


def admins(allowed, other_region=403):
    """Platform and same-region admins get ``allowed``; the other region's admin ``other_region``."""
    return {"anonymous": 302, "delegate": 403, "signatory": 403, "organiser": 403,
            "region_admin": allowed, "other_region_admin": other_region, "admin": allowed}


def platform_admin(allowed):
    """Only platform admins get ``allowed``; anonymous visitors are sent to sign in."""
    return {**{role: 403 for role in ROLES}, "anonymous": 302, "admin": allowed}
