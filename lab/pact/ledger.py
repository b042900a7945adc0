"""Appending to the register, one writer at a time, and reading it back for verification."""
import threading
from contextlib import contextmanager

from sqlalchemy import select, text

from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.pact import keys
from lab.pact.canonical import ENTRY_FIELDS, checkpoint_message, entry_hash, timestamp
from lab.pact.models import GENESIS_HASH, Checkpoint, LedgerEntry
from lab.pact.verify import Verdict, check_checkpoint, verify_chain

# Any constant works: it names the PostgreSQL advisory lock that serialises appends.
_LEDGER_LOCK_ID = 0x1AB0_2019
# SQLite is the single-process embedded default: a process lock serialises its writers, and
# the primary key on ``seq`` refuses a fork from any other writer.
_sqlite_lock = threading.Lock()


@contextmanager
def ledger_locked():
    """Hold the register's write lock until the caller's transaction ends."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LEDGER_LOCK_ID})
        yield
        return
    with _sqlite_lock:
        yield


def head() -> tuple[int, str]:
    last = db.session.execute(
        select(LedgerEntry.seq, LedgerEntry.entry_hash).order_by(LedgerEntry.seq.desc()).limit(1)
    ).first()
    return (last.seq, last.entry_hash) if last else (0, GENESIS_HASH)


def append(fields: dict) -> LedgerEntry:
    """Add the next entry and a signed checkpoint of the new head; the caller holds the lock
    and commits, so both are stored together or not at all."""
    seq, prev = head()
    fields = {**fields, "seq": seq + 1, "signed_at": fields["signed_at"].replace(microsecond=0)}
    entry = LedgerEntry(**fields, prev_hash=prev, entry_hash=entry_hash(prev, fields))
    db.session.add(entry)
    db.session.add(sign_checkpoint(entry.seq, entry.entry_hash))
    db.session.flush()
    return entry


def sign_checkpoint(seq: int, head_hash: str) -> Checkpoint:
    signed_at = utcnow().replace(microsecond=0)
    message = checkpoint_message(seq, head_hash, timestamp(signed_at))
    return Checkpoint(seq=seq, head_hash=head_hash, signed_at=signed_at,
                      public_key=keys.public_key_b64(), signature=keys.sign(message))


def checkpoint_document(checkpoint: Checkpoint) -> dict:
    """A checkpoint as published and as saved by whoever wants to check the register later."""
    return {"seq": checkpoint.seq, "head_hash": checkpoint.head_hash,
            "signed_at": timestamp(checkpoint.signed_at), "public_key": checkpoint.public_key,
            "signature": checkpoint.signature, "algorithm": "Ed25519"}


def latest_checkpoint() -> Checkpoint | None:
    return db.session.scalar(select(Checkpoint).order_by(Checkpoint.seq.desc()).limit(1))


def checkpoint_at(seq: int) -> Checkpoint | None:
    return db.session.get(Checkpoint, seq)


_COLUMNS = [getattr(LedgerEntry, name) for name in (*ENTRY_FIELDS, "prev_hash", "entry_hash")]


def ledger_rows():
    """Stream every entry as a plain mapping, in sequence order, without building ORM objects."""
    result = db.session.execute(select(*_COLUMNS).order_by(LedgerEntry.seq).execution_options(
        yield_per=5000))
    for row in result.mappings():
        yield row


def verify_ledger(saved_checkpoint: dict | None = None) -> Verdict:
    """Check the chain, the newest stored checkpoint and, if given, a checkpoint saved earlier."""
    verdict = verify_chain(ledger_rows())
    if not verdict.ok:
        return verdict
    checkpoints = [checkpoint_document(c) for c in [latest_checkpoint()] if c is not None]
    if saved_checkpoint:
        checkpoints.append(saved_checkpoint)
    if verdict.count and not checkpoints:
        return Verdict(False, verdict.count, verdict.head, verdict.count, "no signed checkpoint")
    for checkpoint in checkpoints:
        problem = check_checkpoint(checkpoint, _hash_at, verdict.count)
        if problem:
            return Verdict(False, verdict.count, verdict.head, checkpoint["seq"], problem)
    if checkpoints and checkpoints[0]["seq"] != verdict.count:
        return Verdict(False, verdict.count, verdict.head, checkpoints[0]["seq"] + 1,
                       "entries after the last signed checkpoint were not added by the platform")
    return verdict


def _hash_at(seq: int) -> str | None:
    return db.session.scalar(select(LedgerEntry.entry_hash).where(LedgerEntry.seq == seq))
