"""What the library's workflow tells the rest of the domain (the search index, notifications).

``public_version_changed`` is sent INSIDE the transaction, just before the service commits, when
what the public sees of a practice changes: it was published (the working copy as it is now is
the new public version) or archived (it is no longer public). The search index listens to it so
that it changes in the same transaction as the practice.
"""
from blinker import Namespace

_signals = Namespace()

# sender: the Practice; kwargs: published (bool: True if it is now public, False if withdrawn)
public_version_changed = _signals.signal("public-version-changed")
