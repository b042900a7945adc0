"""Every registered route, for every role, answers the expected status.

A route missing from ``RULES`` fails the suite, so no route ships without an access rule.
"""
from datetime import date

import pytest

from lab.accounts import invitations, services
from lab.accounts.models import Mandate, Role
from lab.extensions import db
from tests.factories import PASSWORD, make_person

ROLES = ["anonymous", "delegate", "signatory", "region_admin", "other_region_admin",
         "organiser", "admin"]
ADMINS = {"region_admin": None, "admin": None}


def _everyone(status):
    return {role: status for role in ROLES}


def _signed_in(status):
    return {"anonymous": 302, **{role: status for role in ROLES if role != "anonymous"}}


def _admins(allowed, other_region=403):
    """Platform and same-region admins get ``allowed``; the other region's admin ``other_region``."""
    return {"anonymous": 302, "delegate": 403, "signatory": 403, "organiser": 403,
            "region_admin": allowed, "other_region_admin": other_region, "admin": allowed}


# endpoint -> (method, url template, expected status per role)
RULES = {
    "core.home": ("GET", "/", _everyone(200)),
    "core.accessibility": ("GET", "/accessibility", _everyone(200)),
    "core.healthz": ("GET", "/healthz", _everyone(200)),
    "core.vendor": ("GET", "/vendor/bootstrap-italia/dist/css/bootstrap-italia.min.css", _everyone(200)),
    "static": ("GET", "/static/css/lab.css", _everyone(200)),
    "accounts.set_language": ("POST", "/lang?lang=it", _everyone(400)),
    "accounts.regions": ("GET", "/regions", _everyone(200)),
    "accounts.region": ("GET", "/regions/piemonte", _everyone(200)),
    "accounts.sign_in": ("GET", "/sign-in", _everyone(200)),
    "accounts.sign_out": ("POST", "/sign-out", _signed_in(302)),
    "accounts.forgot_password": ("GET", "/password/forgot", _everyone(200)),
    "accounts.reset_password": ("GET", "/password/reset/forged", _everyone(400)),
    "accounts.accept_invitation": ("GET", "/invitations/{token}", _everyone(200)),
    "accounts.account": ("GET", "/account", _signed_in(200)),
    "accounts.change_password": ("POST", "/account/password", _signed_in(400)),
    "accounts.people": ("GET", "/admin/people", _admins(200, other_region=200)),
    "accounts.person": ("GET", "/admin/people/{delegate}", _admins(200)),
    "accounts.grant_role": ("POST", "/admin/people/{delegate}/roles", _admins(302)),
    "accounts.end_role": ("POST", "/admin/roles/{assignment}/end", _admins(302)),
    "accounts.grant_mandate": ("POST", "/admin/people/{delegate}/mandates", _admins(400)),
    "accounts.end_mandate": ("POST", "/admin/mandates/{mandate}/end", _admins(302)),
    "accounts.mandate_pdf": ("GET", "/mandates/{mandate}/act.pdf", _admins(404)),
    "accounts.invitations_page": ("GET", "/admin/invitations", _admins(200, other_region=200)),
    "accounts.resend_invitation": ("POST", "/admin/invitations/{invitation}/resend", _admins(302)),
    "accounts.revoke_invitation": ("POST", "/admin/invitations/{invitation}/revoke", _admins(302)),
    "accounts.log": ("GET", "/admin/audit", _admins(200, other_region=200)),
}


def test_every_route_has_an_access_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(RULES) == set(), "add these routes to RULES"
    assert set(RULES) - endpoints == set(), "these rules name routes that no longer exist"


@pytest.fixture
def world(smtp):
    """One of each role, plus a Piemonte delegate, mandate and invitation to act upon."""
    people = {
        "delegate": make_person("d@example.org", "D", "delegate", "piemonte"),
        "signatory": make_person("s@example.org", "S", "delegate", "piemonte", mandate=True),
        "region_admin": make_person("ra@example.org", "RA", "region_admin", "piemonte"),
        "other_region_admin": make_person("rt@example.org", "RT", "region_admin", "toscana"),
        "organiser": make_person("o@example.org", "O", "organiser"),
        "admin": make_person("a@example.org", "A", "platform_admin"),
    }
    target = make_person("target@example.org", "Target", "delegate", "piemonte")
    mandate = Mandate(user=target, region=target.region, act="DGR 1", starts_on=date(2020, 1, 1))
    db.session.add(mandate)
    db.session.commit()
    invitation, _ = invitations.invite(people["admin"], "invited@example.org", Role.DELEGATE,
                                       services.region_by_slug("piemonte"))
    token = smtp.last_link("invited@example.org").rsplit("/", 1)[-1]
    ids = {"delegate": target.id, "assignment": target.role_assignments[0].id,
           "mandate": mandate.id, "invitation": invitation.id, "token": token}
    return people, ids


@pytest.mark.parametrize("endpoint", sorted(RULES))
def test_route_answers_each_role_as_expected(app, world, endpoint):
    people, ids = world
    method, template, expected = RULES[endpoint]
    url = template.format(**ids)
    observed = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            response = client.post("/sign-in", data={"email": people[role].email, "password": PASSWORD})
            assert response.status_code == 302
        response = client.open(url, method=method)
        observed[role] = response.status_code
        response.close()
        if response.status_code == 302 and role == "anonymous" and expected[role] == 302:
            assert "/sign-in" in response.location
    assert observed == expected
