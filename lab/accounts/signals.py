"""What other domains may react to, sent by the account services after their commit."""
from blinker import Namespace

_signals = Namespace()

# sender: the User whose access narrowed (a role or mandate ended, deactivated, password changed,
# sessions ended); kwargs: ended_sessions, the ids of the sign-in sessions that just ended.
access_changed = _signals.signal("access-changed")

# sender: the User whose data is being exported; each receiver returns a dict of sections
# (name -> JSON-ready data) that the export adds to what accounts holds.
personal_data_requested = _signals.signal("personal-data-requested")
