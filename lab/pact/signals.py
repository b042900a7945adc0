"""What other domains may react to, sent by the Pact services after their commit."""
from blinker import Namespace

_signals = Namespace()

# sender: the LedgerEntry just appended (an adhesion or a withdrawal)
entry_recorded = _signals.signal("entry-recorded")
