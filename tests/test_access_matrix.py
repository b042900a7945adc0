"""Every registered route, for every role, answers the expected status.

A route missing from ``RULES`` fails the suite, so no route ships without an access rule.
"""
from datetime import date

import pytest

from lab.accounts import invitations, services
from lab.accounts.models import Mandate, Role
from lab.extensions import db
from tests.access import ROLES
from tests.accounts import access_rules as accounts_rules
from tests.events import access_rules as events_rules
from tests.groups import access_rules as groups_rules
from tests.library import access_rules as library_rules
from tests.pact import access_rules as pact_rules
from tests.rooms import access_rules as rooms_rules
from tests.factories import PASSWORD, make_person

# Each domain lists its routes in tests/<domain>/access_rules.py: a RULES dict, and optionally
# make_targets(people) returning the ids its URL templates need.
DOMAINS = [accounts_rules, pact_rules, groups_rules, rooms_rules, library_rules, events_rules]
RULES = {endpoint: rule for domain in DOMAINS for endpoint, rule in domain.RULES.items()}


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
    invitation = invitations.invite(people["admin"], "invited@example.org", Role.DELEGATE,
                                       services.region_by_slug("piemonte"))
    token = smtp.last_link("invited@example.org").rsplit("/", 1)[-1]
    ids = {"delegate": target.id, "assignment": target.role_assignments[0].id,
           "mandate": mandate.id, "invitation": invitation.id, "token": token}
    for domain in DOMAINS:
        if hasattr(domain, "make_targets"):
            ids.update(domain.make_targets(people))
    return people, ids


@pytest.mark.parametrize("endpoint", sorted(RULES))
def test_route_answers_each_role_as_expected(app, world, endpoint):
    method, template, expected = RULES[endpoint]
    _check_each_role(app, world, method, template, expected)


@pytest.mark.parametrize("method, template, expected", rooms_rules.LABORATORY_RULES)
def test_the_laboratory_room_answers_each_role_as_expected(app, world, method, template, expected):
    _check_each_role(app, world, method, template, expected)


def _check_each_role(app, world, method, template, expected):
    people, ids = world
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
