"""``next`` after sign-in and after switching language never leads off the site.

Each payload is a known open-redirect bypass: browsers drop tabs and newlines from a URL, read
a backslash as a slash, and take ``//host`` as another site. The check below resolves the
``Location`` the way a browser does and asserts it stays on the site.
"""
from urllib.parse import urljoin, urlsplit

import pytest

from lab.core.urls import safe_next
from tests.factories import PASSWORD

SITE = "http://localhost/"
BYPASSES = [
    "//evil.example/phish",
    "///evil.example/phish",
    "////evil.example/phish",
    "/\t/evil.example/phish",
    "/\n/evil.example/phish",
    "/\r\n/evil.example/phish",
    "\t//evil.example/phish",
    "/\\evil.example/phish",
    "\\\\evil.example/phish",
    "/\\/evil.example/phish",
    "\\/evil.example/phish",
    "/\x00/evil.example/phish",
    "/\x0b/evil.example/phish",
    "/\x7f/evil.example/phish",
    " //evil.example/phish",
    "/\u3000/evil.example/phish",
    "/\u2028/evil.example/phish",
    "https://evil.example/phish",
    "HTTPS://evil.example/phish",
    "http:evil.example/phish",
    "http:/evil.example/phish",
    "javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example/phish",
    "/.//evil.example/phish",
    "/x/..//evil.example/phish",
    "/\r\nSet-Cookie: x=1",
    "/" + "a" * 5000,
]
SAME_SITE = ["/", "/account", "/pact?as_of=2020-01-01", "/rooms/1#composer",
             "/groups?q=http://example.org/x", "/pact/versions/2"]


def browser_target(location: str) -> str:
    """Resolve a Location header as a browser would (WHATWG URL: tabs/newlines dropped, \\ is /)."""
    cleaned = location.strip("\x00 ").replace("\t", "").replace("\n", "").replace("\r", "")
    return urljoin(SITE, cleaned.replace("\\", "/"))


def assert_stays_on_site(response):
    if response.status_code == 400:  # NUL in a query string is refused before the view
        return
    assert response.status_code == 302
    target = browser_target(response.headers["Location"])
    assert urlsplit(target).netloc == "localhost", target


@pytest.mark.parametrize("payload", BYPASSES)
def test_safe_next_refuses_every_known_bypass(payload):
    assert safe_next(payload) is None


@pytest.mark.parametrize("path", SAME_SITE)
def test_safe_next_keeps_paths_on_the_site(path):
    assert safe_next(path) == path


@pytest.mark.parametrize("payload", BYPASSES)
def test_sign_in_does_not_redirect_off_the_site(client, delegate, payload):
    response = client.post("/sign-in", query_string={"next": payload},
                           data={"email": delegate.email, "password": PASSWORD})
    assert_stays_on_site(response)


def test_sign_in_with_the_reported_tab_payload_lands_on_the_account(client, delegate):
    response = client.post("/sign-in?next=/%09/evil.example/phish",
                           data={"email": delegate.email, "password": PASSWORD})
    assert_stays_on_site(response)
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize("payload", BYPASSES)
def test_language_switch_does_not_redirect_off_the_site(client, payload):
    response = client.post("/lang", data={"lang": "en", "next": payload})
    assert_stays_on_site(response)


@pytest.mark.parametrize("path", SAME_SITE)
def test_language_switch_returns_to_the_page(client, path):
    response = client.post("/lang", data={"lang": "en", "next": path})
    assert response.headers["Location"] == path
