"""Which pages may open a socket: in development wherever the server is opened, in production
only SITE_URL and the configured origins (issue 10 #1: PORT=8000 or localhost was refused)."""
from tests.core.conftest import request

PORT = 8123
HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def handshake(app, origin: str) -> int:
    """Open an Engine.IO session as a page at ``origin`` would, and return the status."""
    return request(app, "GET", HANDSHAKE, headers={"Origin": origin}).status_code


def test_development_accepts_the_page_on_any_local_name_of_its_port(make_app):
    development = make_app("development", PORT=PORT)
    for origin in (f"http://localhost:{PORT}", f"http://127.0.0.1:{PORT}"):
        assert handshake(development, origin) == 200, origin


def test_development_refuses_other_sites_and_ports(make_app):
    development = make_app("development", PORT=PORT)
    for origin in (f"http://evil.example:{PORT}", "http://localhost:9999", "null"):
        assert handshake(development, origin) == 400, origin


def test_production_accepts_only_site_url_and_the_configured_origins(make_app):
    production = make_app("production", PORT=PORT, SITE_URL="https://lab.example.org",
                          SOCKETIO_ALLOWED_ORIGINS=["https://www.lab.example.org"])
    assert handshake(production, f"http://localhost:{PORT}") == 400
    assert handshake(production, "https://evil.example") == 400
    assert handshake(production, "https://lab.example.org") == 200
    assert handshake(production, "https://www.lab.example.org") == 200
