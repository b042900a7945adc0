"""What other domains may react to, sent by the rooms after their commit."""
from blinker import Namespace

_signals = Namespace()

# sender: the room's id; kwargs: seq (the message), user_ids (the people it mentions),
# connected (those of them connected to the rooms at that moment, who were told live)
mentioned = _signals.signal("mentioned")
