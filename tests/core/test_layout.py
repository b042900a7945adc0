"""The parts of every page kept per language, and the templates' translations."""
from flask import render_template_string, template_rendered
from flask_babel import force_locale

from lab.core.layout import rendered_part


def rendered_templates(app, client, path, **kwargs) -> list[str]:
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    with template_rendered.connected_to(record, app):
        assert client.get(path, **kwargs).status_code == 200
    return names


def test_the_footer_is_rendered_once_per_language(app, client):
    rendered_part.cache_clear()
    assert "_partials/footer.html" in rendered_templates(app, client, "/")
    assert "_partials/footer.html" not in rendered_templates(app, client, "/regions")
    client.set_cookie("lab_lang", "en")
    assert "_partials/footer.html" in rendered_templates(app, client, "/")
    assert "_partials/footer.html" not in rendered_templates(app, client, "/groups")


def test_each_language_gets_its_own_footer_and_brand(client):
    italian = client.get("/").get_data(as_text=True)
    client.set_cookie("lab_lang", "en")
    english = client.get("/").get_data(as_text=True)
    client.delete_cookie("lab_lang")
    again = client.get("/regions").get_data(as_text=True)
    assert "Dichiarazione di accessibilità" in italian and "Accessibility statement" not in italian
    assert "Accessibility statement" in english and "Dichiarazione di accessibilità" not in english
    assert 'it-brand-tagline d-none d-md-block">Interregional Laboratory' in english
    assert "Dichiarazione di accessibilità" in again


def test_templates_follow_a_forced_language_within_a_request(app):
    with app.test_request_context("/"):
        assert render_template_string("{{ _('Regioni') }}") == "Regioni"
        with force_locale("en_GB"):
            assert render_template_string("{{ _('Regioni') }}") == "Regions"
            assert render_template_string("{{ ngettext('%(num)d membro', '%(num)d membri', 2) }}") == "2 members"
        assert render_template_string("{{ _('Regioni') }}") == "Regioni"


def test_the_menu_marks_the_page_being_shown(client):
    home = client.get("/").get_data(as_text=True)
    groups = client.get("/groups").get_data(as_text=True)
    assert 'class="nav-link active" href="/"' in home
    assert 'class="nav-link" href="/groups"' in home
    assert 'class="nav-link active" href="/groups"' in groups
    assert 'class="nav-link" href="/"' in groups


def test_the_regions_table_is_rendered_once_per_language_in_that_language(app, client):
    rendered_part.cache_clear()
    assert "accounts/_regions_table.html" in rendered_templates(app, client, "/regions")
    assert "accounts/_regions_table.html" not in rendered_templates(app, client, "/regions")
    assert 'href="/regions/piemonte">Piemonte</a>' in client.get("/regions").get_data(as_text=True)
    client.set_cookie("lab_lang", "en")
    english = client.get("/regions").get_data(as_text=True)
    assert 'href="/regions/piemonte">Piedmont</a>' in english and "Autonomous province" in english
