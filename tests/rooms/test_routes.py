"""Room pages and the JSON history, through HTTP: the same ids as over the socket."""
import re

from sqlalchemy import select

from lab.extensions import db
from lab.rooms import services
from lab.rooms.models import Message, Mute, Room
from tests.conftest import sign_in
from tests.rooms.conftest import key


def test_room_list_shows_unread_badges(client, connect, room, delegate, coordinator):
    connect(coordinator).send(room, "Due parole")
    sign_in(client, delegate)
    html = client.get("/rooms").get_data(as_text=True)
    assert "Tutto il Laboratorio" in html and "Dati aperti regionali" in html and "1 non letto" in html


def test_group_room_link_opens_the_room(client, group, delegate):
    sign_in(client, delegate)
    response = client.get(f"/groups/{group.slug}/room")
    room = db.session.scalar(select(Room).where(Room.group_id == group.id))
    assert response.status_code == 302 and response.location.endswith(f"/rooms/{room.id}")


def test_room_page_shows_messages_and_the_composer(client, connect, room, delegate):
    connect(delegate).send(room, "Ciao *a tutti*")
    sign_in(client, delegate)
    html = client.get(f"/rooms/{room.id}").get_data(as_text=True)
    assert 'id="m-1"' in html and "<em>a tutti</em>" in html and 'id="composer"' in html
    assert "socket.io.min.js" in html and "js/rooms.js" in html


def test_the_page_carries_the_persons_read_marker_and_a_new_key_each_time(client, connect, room,
                                                                          delegate, coordinator):
    writer = connect(coordinator)
    writer.send(room, "Uno")
    writer.send(room, "Due")
    sign_in(client, delegate)
    first = client.get(f"/rooms/{room.id}").get_data(as_text=True)
    assert 'data-last-read="0"' in first
    services.mark_read(delegate, room, 1)
    second = client.get(f"/rooms/{room.id}").get_data(as_text=True)
    assert 'data-last-read="1"' in second
    keys = [re.search(r'name="key" value="([0-9a-f]{32})"', page).group(1) for page in (first, second)]
    assert keys[0] != keys[1] and 'name="csrf_token"' in second


def test_an_edit_a_new_name_and_a_deletion_show_on_the_next_request(client, connect, room,
                                                                    delegate, coordinator):
    writer = connect(coordinator)
    seq = writer.send(room, "Prima versione")["id"]
    sign_in(client, delegate)

    def page() -> str:
        html = client.get(f"/rooms/{room.id}").get_data(as_text=True)
        return html[html.index('id="room-messages"'):html.index('id="room-typing"')]

    assert "Prima versione" in page() and "Cora Coordina" in page()
    assert writer.emit("edit", {"room": room.id, "id": seq, "body": "Seconda versione"})["ok"]
    edited = page()
    assert "Seconda versione" in edited and "Prima versione" not in edited and "modificato" in edited
    coordinator.full_name = "Cora Nuova"
    db.session.commit()
    assert "Cora Nuova" in page() and "Cora Coordina" not in page()
    client.set_cookie("lab_lang", "en")
    assert ">edited<" in page() and ">Tuscany<" in page()
    client.delete_cookie("lab_lang")
    assert writer.emit("delete", {"room": room.id, "id": seq})["ok"]
    deleted = page()
    assert "Messaggio eliminato." in deleted and "Seconda versione" not in deleted


def test_the_texts_for_the_rooms_script_follow_the_language_of_each_request(client, room, delegate):
    sign_in(client, delegate)
    italian = "Connesso: i messaggi arrivano in tempo reale."
    assert italian in client.get(f"/rooms/{room.id}").get_data(as_text=True)
    client.set_cookie("lab_lang", "en")
    english = client.get(f"/rooms/{room.id}").get_data(as_text=True)
    assert "Connected: messages arrive in real time." in english and italian not in english
    client.delete_cookie("lab_lang")
    assert italian in client.get(f"/rooms/{room.id}").get_data(as_text=True)


def test_outsider_cannot_open_the_room(client, room, outsider):
    sign_in(client, outsider)
    assert client.get(f"/rooms/{room.id}").status_code == 403
    assert client.get(f"/rooms/{room.id}/messages?after=0").status_code == 403


def test_json_messages_after_an_id_carry_the_socket_ids(client, connect, room, delegate):
    socket_ids = [connect(delegate).send(room, f"n. {n}")["id"] for n in range(3)]
    sign_in(client, delegate)
    data = client.get(f"/rooms/{room.id}/messages?after=1").get_json()
    assert [m["id"] for m in data["messages"]] == socket_ids[1:] == [2, 3]
    assert data["more"] is False and data["last_id"] == 3
    before = client.get(f"/rooms/{room.id}/messages?before=3").get_json()
    assert [m["id"] for m in before["messages"]] == [1, 2]


def test_json_parameters_are_checked(client, room, delegate):
    sign_in(client, delegate)
    for query in ("after=x", "after=-1", "after=1&before=2", "limit=abc"):
        assert client.get(f"/rooms/{room.id}/messages?{query}").status_code == 400


def test_form_post_works_without_javascript(client, room, delegate):
    sign_in(client, delegate)
    response = client.post(f"/rooms/{room.id}/messages", data={"body": "Senza JavaScript", "key": key()})
    assert response.status_code == 302
    assert db.session.scalar(select(Message.body_source)) == "Senza JavaScript"
    response = client.post(f"/rooms/{room.id}/messages", data={"body": "", "key": key()},
                           follow_redirects=True)
    assert "al massimo 5.000 caratteri" in response.get_data(as_text=True)


def test_search_page(client, connect, room, delegate):
    connect(delegate).send(room, "Il bilancio sociale")
    sign_in(client, delegate)
    html = client.get(f"/rooms/{room.id}/search?q=bilancio").get_data(as_text=True)
    assert "1 risultato" in html and "bilancio sociale" in html


def test_history_page_shows_earlier_versions(client, connect, room, delegate):
    member = connect(delegate)
    member.send(room, "Prima stesura")
    member.emit("edit", {"room": room.id, "id": 1, "body": "Seconda stesura"})
    sign_in(client, delegate)
    html = client.get(f"/rooms/{room.id}/messages/1/history").get_data(as_text=True)
    assert "Prima stesura" in html and "Seconda stesura" in html
    assert "modificato" in client.get(f"/rooms/{room.id}").get_data(as_text=True)


def test_coordinator_mutes_and_lifts_from_the_page(client, room, delegate, coordinator):
    sign_in(client, coordinator)
    assert "Moderazione" in client.get(f"/rooms/{room.id}").get_data(as_text=True)
    response = client.post(f"/rooms/{room.id}/mutes", data={"person": delegate.id, "minutes": 15})
    assert response.status_code == 302
    mute = db.session.scalar(select(Mute))
    assert mute.user_id == delegate.id
    assert client.post(f"/rooms/{room.id}/mutes/{mute.id}/lift").status_code == 302
    db.session.expire_all()
    assert db.session.get(Mute, mute.id).lifted_at is not None


def test_member_cannot_mute(client, room, delegate, coordinator):
    sign_in(client, delegate)
    assert "Moderazione" not in client.get(f"/rooms/{room.id}").get_data(as_text=True)
    response = client.post(f"/rooms/{room.id}/mutes", data={"person": coordinator.id, "minutes": 15})
    assert response.status_code == 403


def test_coordinator_opens_another_room(client, group, room, coordinator):
    sign_in(client, coordinator)
    response = client.post(f"/groups/{group.slug}/rooms", data={"name": "Preparazione del Forum"})
    extra = db.session.scalar(select(Room).where(Room.name == "Preparazione del Forum"))
    assert response.status_code == 302 and response.location.endswith(f"/rooms/{extra.id}")
    assert client.get(f"/rooms/{extra.id}").status_code == 200
