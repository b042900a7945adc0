"""Recompute the register's hash chain and check signed checkpoints against it.

Pure functions over plain rows, so the CLI, the tests and anyone holding ``ledger.json`` check
the same way.
"""
from dataclasses import dataclass
from typing import Iterable

from lab.pact.canonical import checkpoint_message, entry_hash
from lab.pact.keys import signature_is_valid
from lab.pact.models import GENESIS_HASH


@dataclass
class Verdict:
    ok: bool
    count: int
    head: str
    broken_seq: int | None = None
    problem: str = ""

    def describe(self) -> str:
        if self.ok:
            return f"{self.count} entries, chain intact, head {self.head}"
        return f"broken at entry {self.broken_seq}: {self.problem}"


def verify_chain(rows: Iterable[dict]) -> Verdict:
    """Walk the entries in sequence order; report the first one that does not fit."""
    expected_seq, prev, count = 1, GENESIS_HASH, 0
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            return Verdict(False, count, prev, expected_seq,
                           f"sequence number {expected_seq} is missing (found {seq} next)")
        if row["prev_hash"] != prev:
            return Verdict(False, count, prev, seq,
                           "previous hash does not match the hash of the entry before it")
        recomputed = entry_hash(prev, row)
        if recomputed != row["entry_hash"]:
            return Verdict(False, count, prev, seq,
                           f"content does not match its hash (stored {row['entry_hash']}, "
                           f"recomputed {recomputed})")
        prev, expected_seq, count = row["entry_hash"], seq + 1, count + 1
    return Verdict(True, count, prev)


def check_checkpoint(checkpoint: dict, hashes_by_seq, count: int) -> str | None:
    """Return what is wrong with a checkpoint against the ledger, or None if it holds."""
    message = checkpoint_message(checkpoint["seq"], checkpoint["head_hash"], checkpoint["signed_at"])
    if not signature_is_valid(checkpoint["public_key"], message, checkpoint["signature"]):
        return f"checkpoint {checkpoint['seq']} has an invalid signature"
    if checkpoint["seq"] > count:
        return (f"checkpoint covers {checkpoint['seq']} entries but the ledger has only {count}: "
                "its tail was cut")
    if hashes_by_seq(checkpoint["seq"]) != checkpoint["head_hash"]:
        return f"entry {checkpoint['seq']} is not the entry the checkpoint signed"
    return None
