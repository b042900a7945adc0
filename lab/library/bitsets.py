"""The index's facet values and frequent words as bitsets in memory, one bit per practice.

Counting facets in SQL was the slow part of a search. Measured at 100,000 practices on
SQLite (2 shared cores under a load of about 8): the seven facets' counts took 280 ms with no
query and 1,030 ms for a word found in every practice; as bitsets they are a few AND and
popcount operations on 12.5 kB integers, well under a millisecond (bench/README.md).

Each process keeps one copy per database, rebuilt when the index's version token changes
(``lab.library.index.mark_changed``, in the same transaction as the change): reading the
token costs one primary-key lookup per search.
"""
import threading
from collections import OrderedDict, deque
from itertools import repeat

from sqlalchemy import String, cast, func, inspect, select

from lab.extensions import db
from lab.library.fulltext import FullText
from lab.library.index import PracticeSearchEntry as Entry, PracticeSearchFacet as FacetRow
from lab.library.index import PracticeSearchVersion

TERMS_KEPT = 256  # word bitsets kept per copy, the most recently used
# Rankings kept per copy. Ranking a word found in all of 100,000 practices took 150-600 ms
# (bm25 or ts_rank over every match); a kept ranking is walked in well under 1 ms.
RANKINGS_KEPT = 32


def bitset(ids) -> int:
    """Return the integer whose bit ``id`` is set for each id."""
    ids = list(ids)
    if not ids:
        return 0
    digits = bytearray(b"0") * (max(ids) + 1)  # digit ``id`` of a binary numeral, lowest first
    deque(map(digits.__setitem__, ids, repeat(ord("1"))), maxlen=0)  # the loop in C
    return int(digits[::-1], 2)


def members(bits: int) -> list[int]:
    """Return the ids whose bit is set, in increasing order."""
    found = []
    for index, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        if byte:
            found.extend(index * 8 + bit for bit in range(8) if byte >> bit & 1)
    return found


class IndexCopy:
    """One database's facet values, orders and recently searched words, at one version."""

    def __init__(self, token: int):
        self.token = token
        # One row per facet value with its practices' ids joined: reading the million facet
        # rows of 100,000 practices one by one took four times as long.
        ids = func.aggregate_strings(cast(FacetRow.practice_id, String), ",")
        self.values = {(facet, value): bitset(map(int, joined.split(","))) for facet, value, joined
                       in db.session.execute(select(FacetRow.facet, FacetRow.value, ids)
                                             .group_by(FacetRow.facet, FacetRow.value))}
        self.newest = list(db.session.scalars(select(Entry.practice_id).order_by(
            Entry.published_at.desc(), Entry.practice_id.desc())))
        self.revised = list(db.session.scalars(select(Entry.practice_id).order_by(
            Entry.revised_at.desc(), Entry.practice_id.desc())))
        self.everything = bitset(self.newest)
        self.positions = {
            "newest": {practice_id: place for place, practice_id in enumerate(self.newest)},
            "revised": {practice_id: place for place, practice_id in enumerate(self.revised)},
        }
        self.terms: OrderedDict[str, int] = OrderedDict()
        self.rankings: OrderedDict[tuple, list[int]] = OrderedDict()
        self.lock = threading.Lock()

    def _kept(self, kept: OrderedDict, key, limit: int, make):
        with self.lock:
            if key in kept:
                kept.move_to_end(key)
                return kept[key]
        value = make()
        with self.lock:
            kept[key] = value
            while len(kept) > limit:
                kept.popitem(last=False)
        return value

    def term(self, term: str) -> int:
        """Return the bitset of the practices whose text has the term."""
        return self._kept(self.terms, term, TERMS_KEPT,
                          lambda: bitset(db.session.scalars(FullText([term]).ids())))

    def ranking(self, terms: tuple[str, ...]) -> list[int]:
        """Return the ids of the practices that have all the terms, most relevant first."""
        return self._kept(self.rankings, terms, RANKINGS_KEPT,
                          lambda: list(db.session.scalars(FullText(list(terms)).ranked())))


_copies: dict[str, IndexCopy] = {}
_copies_lock = threading.Lock()


def current_copy() -> IndexCopy:
    """Return this process's copy of the index, rebuilt first if the index has changed."""
    token = db.session.scalar(select(PracticeSearchVersion.token)) or 0
    key = str(db.engine.url)
    copy = _copies.get(key)
    if copy is None or copy.token != token:
        copy = IndexCopy(token)
        with _copies_lock:
            _copies[key] = copy
    return copy


def warm_up(app) -> None:
    """Build this process's copy of the index at start, so no visitor's search waits for it.

    Called by the servers (wsgi.py, deploy/serve.py) before they listen; a database not yet
    migrated has no index to copy.
    """
    with app.app_context():
        if inspect(db.engine).has_table(PracticeSearchVersion.__tablename__):
            current_copy()
