"""Production logs one JSON line per request, and every response names its request."""
import json
import logging

from lab.core.requestlog import JsonFormatter
from tests.conftest import sign_in
from tests.core.conftest import request

NGINX_ID = "0f3c9a8e1b2d4c5f6a7b8c9d0e1f2a3b"


def request_lines(text: str) -> list[dict]:
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    return [line for line in lines if line["logger"] == "lab.requests"]


def test_production_writes_one_json_line_per_request(make_app, capsys):
    production = make_app("production")
    response = request(production, "GET", "/pact", base_url=production.config["SITE_URL"])
    lines = request_lines(capsys.readouterr().err)
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/pact", 200)
    assert line["user_id"] is None and line["address"] == "127.0.0.1"


def test_a_line_names_the_signed_in_person_and_the_client_behind_the_proxy(
        app, client, delegate, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "JSON_LOGS", True)
    sign_in(client, delegate)
    with caplog.at_level(logging.INFO, logger="lab.requests"):
        response = client.get("/account")
    record = [r for r in caplog.records if r.name == "lab.requests"][-1]
    line = json.loads(JsonFormatter().format(record))
    assert line["user_id"] == delegate.id and line["status"] == 200
    assert line["request_id"] == response.headers["X-Request-ID"]


def test_the_request_id_is_nginx_s_only_behind_a_trusted_proxy(app, client, monkeypatch):
    forged = client.get("/healthz", headers={"X-Request-ID": NGINX_ID})
    assert forged.headers["X-Request-ID"] not in ("", NGINX_ID)
    monkeypatch.setitem(app.config, "PROXY_COUNT", 1)
    assert client.get("/healthz", headers={"X-Request-ID": NGINX_ID}).headers[
        "X-Request-ID"] == NGINX_ID
    junk = client.get("/healthz", headers={"X-Request-ID": "a b\tc"}).headers["X-Request-ID"]
    assert junk != "a b\tc"
