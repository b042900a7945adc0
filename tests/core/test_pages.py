"""Public pages, language switch, health check, security headers and error pages."""
from lab.groups.themes import ensure_themes
from tests.conftest import sign_in


def test_home_is_in_italian_by_default(client):
    ensure_themes()
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="it">' in page
    assert "Laboratorio interregionale per l'innovazione sociale" in page
    assert "Politiche di prossimità e domiciliarità" in page


def test_home_shows_a_forum_organiser_what_they_can_do(client, organiser):
    assert "Cosa puoi fare" not in client.get("/").get_data(as_text=True)
    sign_in(client, organiser)
    page = client.get("/").get_data(as_text=True)
    assert 'id="start"' in page and "Forum ed eventi" in page
    assert "La stanza di tutto il Laboratorio è aperta anche a te" in page and 'href="/rooms"' in page


def test_language_switch_is_remembered_in_a_cookie(client):
    response = client.post("/lang", data={"lang": "en", "next": "/regions"})
    assert response.status_code == 302 and response.location.endswith("/regions")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Interregional Laboratory for Social Innovation" in page


def test_language_choice_is_saved_on_the_account(client, delegate):
    sign_in(client, delegate)
    client.post("/lang", data={"lang": "en"})
    assert delegate.locale == "en"
    other = client.application.test_client()
    sign_in(other, delegate)
    assert '<html lang="en">' in other.get("/account").get_data(as_text=True)


def test_unknown_language_is_a_clear_400(client):
    response = client.post("/lang", data={"lang": "fr"})
    assert response.status_code == 400
    assert "Lingua non disponibile" in response.get_data(as_text=True)


def test_open_redirect_after_language_switch_is_refused(client):
    response = client.post("/lang", data={"lang": "it", "next": "//evil.example/"})
    assert response.location.endswith("/") and "evil" not in response.location


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_pages_carry_a_strict_content_security_policy(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_pages_contain_no_inline_script(client):
    for url in ("/", "/regions", "/regions/piemonte", "/sign-in"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and "onclick=" not in page and "style=" not in page


def test_npm_assets_are_served_by_the_app(client):
    response = client.get("/vendor/bootstrap-italia/dist/css/bootstrap-italia.min.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    response.close()


def test_npm_package_metadata_is_not_served(client):
    assert client.get("/vendor/bootstrap-italia/package.json").status_code == 404
    assert client.get("/vendor/bootstrap-italia/dist/../package.json").status_code == 404


def test_not_found_page_is_in_the_users_language(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Pagina non trovata" in response.get_data(as_text=True)
    client.post("/lang", data={"lang": "en"})
    assert "Page not found" in client.get("/no-such-page").get_data(as_text=True)


def test_json_clients_get_json_errors(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.json["status"] == 404


def test_too_large_upload_gets_the_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = client.post("/sign-in", data={"email": "x" * 4096})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 10 * 1024 * 1024
    assert response.status_code == 413
    assert "File troppo grande" in response.get_data(as_text=True)


def test_unexpected_errors_get_the_500_page(app, client, monkeypatch):
    from lab.core import routes

    monkeypatch.setattr(routes, "render_template", lambda *a, **k: 1 / 0)
    response = client.get("/")
    assert response.status_code == 500
    assert "Errore del server" in response.get_data(as_text=True)


def test_regions_directory_lists_the_21_members(client):
    page = client.get("/regions").get_data(as_text=True)
    assert page.count('href="/regions/') == 21
    assert "Provincia autonoma di Bolzano" in page and "Valle d&#39;Aosta" in page


def test_home_links_the_pact_and_each_theme_to_its_group(client):
    ensure_themes()
    page = client.get("/").get_data(as_text=True)
    assert 'href="/pact"' in page.split('id="intro-title"')[1]
    themes = page.split('id="themes-title"')[1]
    assert themes.count('href="/groups/') == 8
    assert 'href="/groups/prossimita-domiciliarita">Politiche di prossimità' in themes


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\x00\x00\x01\x00"


def test_bootstrap_css_is_served_without_the_video_font_the_csp_refuses(client):
    css = client.get("/vendor/bootstrap-italia/dist/css/bootstrap-italia.min.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert b"url(data:application/font-woff" not in css.data and b".video-js" in css.data


def test_platform_admin_finds_the_pact_versions_in_the_menu(client, admin, region_admin):
    sign_in(client, admin)
    assert 'href="/pact/admin"' in client.get("/").get_data(as_text=True)
    other = client.application.test_client()
    sign_in(other, region_admin)
    assert 'href="/pact/admin"' not in other.get("/").get_data(as_text=True)


def test_region_page_says_whether_the_region_adheres(client):
    page = client.get("/regions/piemonte").get_data(as_text=True)
    assert "Patto per l'innovazione sociale: <strong>Non aderisce</strong>" in page
