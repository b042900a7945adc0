"""What other domains may react to, sent by the group services after their commit."""
from blinker import Namespace

_signals = Namespace()

# sender: the Group; kwargs: user (whose access to the group may have ended)
participation_ended = _signals.signal("participation-ended")

# sender: the Group; kwargs: membership (a request waiting for the coordinators)
join_requested = _signals.signal("join-requested")
# sender: the Group; kwargs: membership (accepted or declined), reason (may be empty)
request_decided = _signals.signal("request-decided")
# sender: the Group; kwargs: coordination
coordinator_appointed = _signals.signal("coordinator-appointed")
