"""Production answers only to its own host names; nginx drops every other one."""
import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.core.conftest import request

NGINX_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
FORGED = "http://evil.example"
FORWARDED = ("Host", "X-Forwarded-Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Request-ID")


def test_production_refuses_a_forged_host_before_any_mail_is_sent(make_app, smtp, delegate):
    production = make_app("production", WTF_CSRF_ENABLED=False)
    response = request(production, "POST", "/password/forgot", base_url=FORGED,
                       data={"email": delegate.email})
    assert response.status_code == 400
    assert smtp.to(delegate.email) == []
    assert request(production, "GET", "/", base_url=FORGED).status_code == 400


def test_production_answers_site_url_host_with_any_port(make_app):
    production = make_app("production")
    site = urlsplit(production.config["SITE_URL"])
    assert production.config["TRUSTED_HOSTS"] == [site.hostname]
    for url in (f"{site.scheme}://{site.netloc}", f"http://{site.hostname}:8001"):
        assert request(production, "GET", "/healthz", base_url=url).status_code == 200


def test_trusted_hosts_setting_names_the_hosts(make_app):
    production = make_app("production", TRUSTED_HOSTS=["lab.example.org", ".lab.example.org"])
    for url in ("https://lab.example.org", "https://www.lab.example.org"):
        assert request(production, "GET", "/healthz", base_url=url).status_code == 200
    assert request(production, "GET", "/healthz", base_url=FORGED).status_code == 400


def server_blocks(conf: str) -> list[str]:
    """Split the http block's ``server { ... }`` blocks (they hold one level of braces)."""
    return re.findall(r"^    server \{\n(.*?)^    \}$", conf, re.MULTILINE | re.DOTALL)


def test_nginx_drops_unknown_hosts_and_proxies_only_the_site():
    default, site = server_blocks(NGINX_CONF.read_text())
    assert re.search(r"listen \d+ default_server;", default) and "return 444;" in default
    assert "proxy_pass" not in default
    assert re.search(r"server_name (?!_;)\S+;", site) and "default_server" not in site


def test_nginx_overwrites_every_forwarded_header_in_every_location():
    # A location with proxy_set_header of its own inherits none from its server: each must set
    # all of them, or the client's own X-Forwarded-For would reach the app.
    site = server_blocks(NGINX_CONF.read_text())[1]
    locations = re.findall(r"location [^{]+\{(.*?)\}", site, re.DOTALL)
    assert len(locations) == 2
    for location in locations:
        for header in FORWARDED:
            assert f"proxy_set_header {header} " in location, header
