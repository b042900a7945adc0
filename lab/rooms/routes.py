"""Room pages, the messages as JSON, search, edit history, mutes and opening rooms."""
import uuid

from flask import abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from lab.accounts.forms import ButtonForm
from lab.core.errors import DomainError, NotFound, NotPermitted
from lab.core.params import id_arg
from lab.groups.queries import group_by_slug
from lab.library.editing_routes import new_practice_page
from lab.library.proposals import message_prefill
from lab.rooms import bp, messages, moderation, proposals, services
from lab.rooms.forms import MessageForm, MuteForm, RoomForm
from lab.rooms.serialize import latest_shown, message_json

JSON_LIMIT_MAX = 500


def _flash_refusal(action) -> bool:
    """Run a change, flashing a refusal the person can act on; access refusals stay 403/404."""
    try:
        action()
    except (NotPermitted, NotFound):
        raise
    except DomainError as error:
        flash(error.message, "danger")
        return False
    return True


@bp.get("/rooms")
@login_required
def index():
    """List the person's rooms with their unread messages and mentions."""
    response = make_response(render_template("rooms/index.html",
                                             entries=services.rooms_for(current_user)))
    # Coming back from a room, the browser must ask again rather than show the counts it kept.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/groups/<slug>/room")
@login_required
def for_group(slug: str):
    """Open the group's own room."""
    room = services.group_room(group_by_slug(slug))
    return redirect(url_for("rooms.show", room_id=room.id))


@bp.get("/rooms/<int:room_id>")
@login_required
def show(room_id: int):
    """Show a room: the latest messages, the people present, and the box to write."""
    room, last_read = services.room_and_last_read(current_user, room_id)
    recent, older = latest_shown(room.id, services.PAGE_SIZE)
    moderator = services.can_moderate(current_user, room)
    mute_form = None
    if moderator:
        mute_form = MuteForm()
        mute_form.person.choices = [SelectChoice(p.id, p.full_name) for p in services.room_people(room)
                                    if p.id != current_user.id]
    return render_template(
        "rooms/show.html", room=room, messages=recent, older=older, moderator=moderator,
        message_key=uuid.uuid4().hex, mute_form=mute_form,
        button=ButtonForm() if moderator else None,
        mutes=moderation.active_mutes(room) if moderator else [],
        room_form=RoomForm() if room.group and moderator else None,
        last_read=last_read,
        may_propose=proposals.may_propose(current_user, room))


@bp.get("/rooms/<int:room_id>/messages")
@login_required
def messages_json(room_id: int):
    """Return messages as JSON: after an id (oldest first), or the page before an id."""
    room = services.room_for(current_user, room_id)
    after, before = id_arg("after"), id_arg("before")
    limit = min(id_arg("limit") or services.PAGE_SIZE, JSON_LIMIT_MAX)
    if after is not None and before is not None:
        abort(400, _("Usa «after» oppure «before», non entrambi."))
    if after is not None:
        found, more = services.messages_after(room, after, limit)
    else:
        found, more = services.messages_before(room, before, limit)
    return jsonify(room=room.id, messages=[message_json(m) for m in found], more=more,
                   last_id=room.last_seq)


@bp.post("/rooms/<int:room_id>/messages")
@login_required
def post(room_id: int):
    """Post a message from the page's form (the way without JavaScript)."""
    room = services.room_for(current_user, room_id)
    form = MessageForm()
    if not form.validate_on_submit():
        flash(_("Scrivi un messaggio di al massimo 5.000 caratteri."), "danger")
        return redirect(url_for("rooms.show", room_id=room.id))
    _flash_refusal(lambda: messages.post_message(current_user, room.id, form.body.data,
                                                 form.key.data))
    return redirect(url_for("rooms.show", room_id=room.id, _anchor="composer"))


@bp.get("/rooms/<int:room_id>/search")
@login_required
def search(room_id: int):
    """Search the room's history."""
    room = services.room_for(current_user, room_id)
    query = request.args.get("q", "")
    return render_template("rooms/search.html", room=room, query=query,
                           results=services.search(room, query),
                           may_propose=proposals.may_propose(current_user, room))


@bp.get("/rooms/<int:room_id>/messages/<int:seq>/history")
@login_required
def history(room_id: int, seq: int):
    """Show a message's earlier versions."""
    room = services.room_for(current_user, room_id)
    message, edits = messages.edit_history(room, seq)
    return render_template("rooms/history.html", room=room, message=message, edits=edits,
                           may_propose=proposals.may_propose(current_user, room))


@bp.route("/rooms/<int:room_id>/messages/<int:seq>/propose", methods=["GET", "POST"])
@login_required
def propose(room_id: int, seq: int):
    """Turn a message of a group's room into a practice draft, prefilled with its text."""
    message = proposals.message_to_propose(current_user, room_id, seq)
    return new_practice_page(message_prefill(message.body_source, message.room.group_id),
                             source_message_id=message.id)


@bp.post("/rooms/<int:room_id>/mutes")
@login_required
def mute(room_id: int):
    """Keep a member from writing in the room for a while."""
    room = services.room_for(current_user, room_id)
    form = MuteForm()
    form.person.choices = [SelectChoice(p.id, p.full_name) for p in services.room_people(room)]
    if not services.can_moderate(current_user, room):
        abort(403)
    if not form.validate_on_submit():
        flash(_("Scegli il membro e una durata tra 1 minuto e 7 giorni."), "danger")
    else:
        person = next(p for p in services.room_people(room) if p.id == form.person.data)
        if _flash_refusal(lambda: moderation.mute_member(current_user, room, person, form.minutes.data)):
            flash(_("%(name)s non potrà scrivere per %(minutes)d minuti.", name=person.full_name,
                    minutes=form.minutes.data), "success")
    return redirect(url_for("rooms.show", room_id=room.id))


@bp.post("/rooms/<int:room_id>/mutes/<int:mute_id>/lift")
@login_required
def lift_mute(room_id: int, mute_id: int):
    """Let a muted member write again."""
    room = services.room_for(current_user, room_id)
    if ButtonForm().validate_on_submit() and _flash_refusal(
            lambda: moderation.lift_mute(current_user, room, mute_id)):
        flash(_("Il membro può di nuovo scrivere."), "success")
    return redirect(url_for("rooms.show", room_id=room.id))


@bp.post("/groups/<slug>/rooms")
@login_required
def open_room(slug: str):
    """Open another room in the group."""
    group = group_by_slug(slug)
    form = RoomForm()
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        flash(_("La sessione del modulo è scaduta: ricarica la pagina e riprova."), "danger")
        return redirect(url_for("rooms.for_group", slug=slug))
    opened = []
    if _flash_refusal(lambda: opened.append(services.open_room(current_user, group, form.name.data))):
        flash(_("Stanza aperta."), "success")
        return redirect(url_for("rooms.show", room_id=opened[0].id))
    return redirect(url_for("rooms.for_group", slug=slug))
