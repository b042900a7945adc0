"""Links that leave the site come from SITE_URL, whatever Host header the request carried."""
import pytest

from lab.accounts.services import region_by_slug
from tests.factories import PASSWORD

FORGED_HOST = "http://evil.example"


@pytest.fixture
def site_url(app):
    return app.config["SITE_URL"]


def test_password_reset_mail_ignores_a_forged_host(client, smtp, delegate, site_url):
    client.post("/password/forgot", data={"email": delegate.email}, base_url=FORGED_HOST)
    link = smtp.last_link(delegate.email)
    assert link.startswith(site_url + "/password/reset/"), link


def test_invitation_mail_ignores_a_forged_host(client, smtp, region_admin, site_url):
    client.post("/sign-in", base_url=FORGED_HOST,
                data={"email": region_admin.email, "password": PASSWORD})
    region_id = region_by_slug("piemonte").id
    client.post("/admin/invitations", base_url=FORGED_HOST, data={
        "email": "nuova@example.org", "role": "delegate", "region": region_id})
    link = smtp.last_link("nuova@example.org")
    assert link.startswith(site_url + "/invitations/"), link
