"""Appending to the register, one writer at a time, and reading its chain back to verify it."""
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from sqlalchemy import create_engine, select, text

from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.pact import keys
from lab.pact.canonical import ENTRY_FIELDS, checkpoint_message, entry_hash, timestamp
from lab.pact.models import GENESIS_HASH, Checkpoint, LedgerEntry
from lab.pact.verify import Verdict, verify_chain

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
    last = _last_entry()
    return (last.seq, last.entry_hash) if last else (0, GENESIS_HASH)


def _last_entry():
    return db.session.execute(
        select(LedgerEntry.seq, LedgerEntry.entry_hash, LedgerEntry.signed_at)
        .order_by(LedgerEntry.seq.desc()).limit(1)).first()


def append(fields: dict) -> LedgerEntry:
    """Add the next entry and a signed checkpoint of the new head; the caller holds the lock
    and commits, so both are stored together or not at all.

    Entries are in time order as well as in sequence order, which lets the register on a past
    day be found through the ``signed_at`` index.
    """
    last = _last_entry()
    seq, prev = (last.seq, last.entry_hash) if last else (0, GENESIS_HASH)
    signed_at = fields["signed_at"].replace(microsecond=0)
    if last and signed_at < last.signed_at:
        raise ValueError("register entries must not be dated before the entry they follow")
    fields = {**fields, "seq": seq + 1, "signed_at": signed_at}
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
    """Stream every entry as a plain mapping, in sequence order, through Core (no ORM rows)."""
    query = select(*_COLUMNS).order_by(LedgerEntry.seq).execution_options(yield_per=5000)
    yield from db.session.connection().execute(query).mappings()


# From this length on, the chain is checked in one process per core, each over a range of
# sequence numbers; the ranges are then joined link by link.
PARALLEL_FROM = 20_000


def verify_whole_chain() -> Verdict:
    """Recompute every entry's hash from the first, in one process or one per core."""
    last_seq = head()[0]
    workers = min(os.cpu_count() or 1, 8)
    if last_seq < PARALLEL_FROM or workers < 2:
        return verify_chain(ledger_rows())
    size = -(-last_seq // workers)
    ranges = [(start, min(start + size - 1, last_seq)) for start in range(1, last_seq + 1, size)]
    url = db.engine.url.render_as_string(hide_password=False)
    db.session.rollback()
    with ProcessPoolExecutor(len(ranges), mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(_verify_range, [url] * len(ranges), *zip(*ranges)))
    return _join(parts, ranges)


def _verify_range(url: str, first: int, last: int) -> Verdict:
    """Check entries ``first`` to ``last`` in a worker process with its own connection."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(*_COLUMNS).where(LedgerEntry.seq.between(first, last))
                .order_by(LedgerEntry.seq).execution_options(yield_per=5000)).mappings()
            return verify_chain(rows, start_seq=first, prev=GENESIS_HASH if first == 1 else None)
    finally:
        engine.dispose()


def _join(parts: list[Verdict], ranges: list[tuple[int, int]]) -> Verdict:
    """Join the ranges' verdicts into the one a single walk of the chain would give."""
    count, head_hash = 0, GENESIS_HASH
    for part, (first, last) in zip(parts, ranges):
        if part.count and part.first_prev != head_hash:
            return Verdict(False, count, head_hash, first,
                           "previous hash does not match the hash of the entry before it")
        if not part.ok:
            return Verdict(False, count + part.count, part.head, part.broken_seq, part.problem)
        if part.count != last - first + 1:
            missing = first + part.count
            return Verdict(False, count + part.count, part.head, missing,
                           f"sequence number {missing} is missing")
        count, head_hash = count + part.count, part.head
    return Verdict(True, count, head_hash)

