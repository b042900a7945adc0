"""CSRF on every form, cookie flags in production, markup sanitising."""
from lab.core.markup import render_markdown
from tests.core.conftest import request


def test_forms_without_a_csrf_token_are_refused(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post("/lang", data={"lang": "en"})
        assert response.status_code == 400
        page = client.get("/sign-in").get_data(as_text=True)
        assert 'name="csrf_token"' in page
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_production_cookies_are_secure_httponly_and_samesite(make_app):
    production = make_app("production")
    config = production.config
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["REMEMBER_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = request(production, "GET", "/", base_url=config["SITE_URL"])
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_markdown_is_rendered_then_sanitised():
    html = render_markdown("**ciao** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>ciao</strong>" in html
    assert "<script" not in html and "javascript:" not in html
