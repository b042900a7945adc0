"""What the rooms tell, always after the change is committed: connected clients over
Socket.IO, and other domains through signals."""
from blinker import Namespace

from lab.extensions import socketio

NAMESPACE = "/rooms"

_signals = Namespace()

# sender: the room's id; kwargs: seq (the message), user_ids (the people it mentions),
# connected (those of them connected to the rooms at that moment, who were told live)
mentioned = _signals.signal("mentioned")


def room_channel(room_id: int) -> str:
    return f"room:{room_id}"


def user_channel(user_id: int) -> str:
    return f"user:{user_id}"


def message_posted(payload: dict, mentioned: list[int], author_name: str,
                   titles: dict[str, str] | None = None) -> None:
    """Send a new message to the room, and a notice to each person it mentions.

    The notice carries the room's title in each language (``titles``), since the person may be
    reading another room.
    """
    socketio.emit("message_posted", payload, to=room_channel(payload["room"]), namespace=NAMESPACE)
    notice = {"room": payload["room"], "id": payload["id"], "by": author_name, "title": titles}
    for user_id in mentioned:
        socketio.emit("mention", notice, to=user_channel(user_id), namespace=NAMESPACE)


def message_changed(payload: dict) -> None:
    """Send an edited or deleted message to the room."""
    socketio.emit("message_updated", payload, to=room_channel(payload["room"]), namespace=NAMESPACE)


def member_muted(room_id: int, user_id: int, until: str | None, message: str) -> None:
    """Tell a person they may not write in a room until a time (or again, when ``until`` is None)."""
    socketio.emit("muted", {"room": room_id, "until": until, "message": message},
                  to=user_channel(user_id), namespace=NAMESPACE)
