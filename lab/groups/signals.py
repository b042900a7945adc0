"""What other domains may react to, sent by the group services after their commit."""
from blinker import Namespace

_signals = Namespace()

# sender: the Group; kwargs: user (whose access to the group may have ended)
participation_ended = _signals.signal("participation-ended")
