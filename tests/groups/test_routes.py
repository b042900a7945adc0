"""The group pages and forms, through HTTP as a browser uses them."""
from lab.extensions import db
from lab.groups import queries, services
from lab.groups.models import Group
from tests.conftest import sign_in


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_directory_lists_groups_with_member_and_region_counts(client, group):
    html = page(client, "/groups")
    assert "Politiche di prossimità" in html and "1 membro" in html and "1 regione" in html


def test_group_page_shows_purpose_coordinators_members_and_missing_regions(client, group):
    html = page(client, f"/groups/{group.slug}")
    assert "<em>politiche</em>" in html
    assert "Cora Coordina" in html and "Toscana" in html
    assert "Regioni non ancora rappresentate" in html and "Lombardia" in html
    assert "Buone pratiche" in html and "Eventi" in html
    assert "Entra nella stanza del gruppo" not in html  # anonymous visitors see no room


def test_group_page_in_english(client, group):
    client.set_cookie("lab_lang", "en")
    html = page(client, f"/groups/{group.slug}")
    assert "Proximity policies" in html


def test_delegate_asks_and_coordinator_accepts(client, app, group, coordinator, delegate):
    sign_in(client, delegate)
    response = client.post(f"/groups/{group.slug}/join")
    assert response.status_code == 302
    assert "in attesa della decisione" in page(client, f"/groups/{group.slug}")

    other = app.test_client()
    sign_in(other, coordinator)
    html = page(other, f"/groups/{group.slug}")
    assert "Richieste di partecipazione" in html and "Dario Delegato" in html
    request = queries.pending_requests(db.session.get(Group, group.id))[0]
    assert other.post(f"/groups/{group.slug}/requests/{request.id}/accept").status_code == 302
    html = page(client, f"/groups/{group.slug}")
    assert "Fai parte del gruppo" in html and "Entra nella stanza del gruppo" in html

    assert client.post(f"/groups/{group.slug}/leave").status_code == 302
    assert "Chiedi di partecipare" in page(client, f"/groups/{group.slug}")


def test_a_second_request_is_refused_with_a_message(client, group, delegate):
    sign_in(client, delegate)
    client.post(f"/groups/{group.slug}/join")
    response = client.post(f"/groups/{group.slug}/join", follow_redirects=True)
    assert "già in attesa" in response.get_data(as_text=True)


def test_admin_creates_a_group_and_appoints_a_coordinator(client, admin, delegate):
    sign_in(client, admin)
    response = client.post("/groups/new", data={
        "name_it": "Welfare generativo", "name_en": "Generative welfare",
        "description_it": "Un **welfare** che genera valore.", "description_en": "", "is_open": "y"})
    assert response.status_code == 302 and response.location.endswith("/groups/welfare-generativo")
    html = page(client, "/groups/welfare-generativo")
    assert "Nomina coordinatore" in html and "Dario Delegato" in html
    response = client.post("/groups/welfare-generativo/coordinators", data={"person": delegate.id})
    assert response.status_code == 302
    group = queries.group_by_slug("welfare-generativo")
    assert group.is_open and queries.is_coordinator(delegate, group)


def test_new_group_form_shows_errors(client, admin):
    sign_in(client, admin)
    response = client.post("/groups/new", data={"name_it": "", "name_en": ""})
    assert response.status_code == 400 and "Il modulo contiene errori" in response.get_data(as_text=True)


def test_coordinator_opens_the_group(client, group, coordinator):
    sign_in(client, coordinator)
    client.post(f"/groups/{group.slug}/openness", data={"is_open": "y"})
    assert db.session.get(Group, group.id).is_open


def test_directory_shows_a_members_own_groups_first(client, group, coordinator, delegate):
    sign_in(client, coordinator)
    html = page(client, "/groups")
    mine = html.split('id="mine-title"')[1].split("</section>")[0]
    assert "Politiche di prossimità" in mine and f'href="/groups/{group.slug}/room"' in mine
    assert "Ne fai parte" in html
    sign_in(client, delegate)
    assert 'id="mine-title"' not in page(client, "/groups")


def test_the_menu_counts_a_new_request_at_the_next_request(client, group, coordinator,
                                                             puglia_delegate):
    sign_in(client, coordinator)
    assert "richiesta da decidere" not in client.get("/").get_data(as_text=True)
    services.ask_to_join(puglia_delegate, group)
    page = client.get("/").get_data(as_text=True)
    assert '1<span class="visually-hidden"> richiesta da decidere</span>' in page
