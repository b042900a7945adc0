"""Recompute the register's hash chain and check signed checkpoints against it.

Pure functions over plain rows, so the CLI, the tests and anyone holding ``ledger.json`` check
the same way.
"""
from dataclasses import dataclass
from typing import Iterable

from lab.pact.canonical import checkpoint_message, entry_hash
from lab.pact.keys import fingerprint, signature_is_valid
from lab.pact.models import GENESIS_HASH


@dataclass
class Verdict:
    ok: bool
    count: int
    head: str
    broken_seq: int | None = None
    problem: str = ""
    first_prev: str | None = None

    def describe(self) -> str:
        if self.ok:
            return f"{self.count} entries, chain intact, head {self.head}"
        return f"broken at entry {self.broken_seq}: {self.problem}"


def verify_chain(rows: Iterable[dict], start_seq: int = 1, prev: str | None = GENESIS_HASH) -> Verdict:
    """Walk the entries in sequence order; report the first one that does not fit.

    A run that starts inside the chain passes ``prev=None``: its first link is then taken as
    stored and returned in ``first_prev`` for the caller to join to the run before it.
    """
    expected_seq, count, first_prev = start_seq, 0, prev
    for row in rows:
        if prev is None:
            prev = first_prev = row["prev_hash"]
        seq = row["seq"]
        if seq != expected_seq:
            return Verdict(False, count, prev, expected_seq,
                           f"sequence number {expected_seq} is missing (found {seq} next)",
                           first_prev)
        if row["prev_hash"] != prev:
            return Verdict(False, count, prev, seq,
                           "previous hash does not match the hash of the entry before it",
                           first_prev)
        recomputed = entry_hash(prev, row)
        if recomputed != row["entry_hash"]:
            return Verdict(False, count, prev, seq,
                           f"content does not match its hash (stored {row['entry_hash']}, "
                           f"recomputed {recomputed})", first_prev)
        prev, expected_seq, count = row["entry_hash"], seq + 1, count + 1
    return Verdict(True, count, prev, first_prev=first_prev)


def checkpoint_problem(checkpoint: dict, public_key: str) -> str | None:
    """Return why ``checkpoint`` is not signed by ``public_key`` (the pinned key), or None.

    The key a checkpoint names is only compared, never used: anyone rewriting the database
    could sign with a key of their own and name it there.
    """
    seq, named = checkpoint["seq"], checkpoint.get("public_key", public_key)
    if named != public_key:
        return (f"checkpoint {seq} is signed by key {fingerprint(named)}, "
                f"not the platform's key {fingerprint(public_key)}")
    message = checkpoint_message(seq, checkpoint["head_hash"], checkpoint["signed_at"])
    if not signature_is_valid(public_key, message, checkpoint["signature"]):
        return f"checkpoint {seq} has an invalid signature"
    return None
