"""The index's facet values, date orders and recent searches in memory, one bit per practice.

What it saves, measured at 100,000 practices in one run of bench/library_search.py (its
"SQL facets" and "cold" columns beside the p50; bench/README.md, "Library search"):

- facet counts: in SQL, one grouped query over the matching practices' facet rows took
  450 ms with no query and 3,950 ms for a word found in every practice (SQLite, load 12),
  while the whole page with the bitsets took 33-56 ms at p50: as bitsets the counts are AND
  and popcount operations on 12.5 kB integers;
- a search's ranked matches (``Matches``): the first request for a word found in every
  practice took 990 ms on SQLite and 1,190 ms on PostgreSQL (bm25 or ts_rank over every
  match), the next ones 34 and 65 ms at p50.

Each process builds its copy when it starts (``warm_up``) and again when the index's version
token changes (``lab.library.index.mark_changed``, in the same transaction as the change):
reading the token costs one primary-key lookup per search.
"""
import threading
from array import array
from collections import OrderedDict, deque
from dataclasses import dataclass
from itertools import repeat

from sqlalchemy import String, cast, func, inspect, select

from lab.extensions import db
from lab.library.fulltext import FullText
from lab.library.index import PracticeSearchEntry as Entry, PracticeSearchFacet as FacetRow
from lab.library.index import PracticeSearchVersion

MATCHES_KEPT = 32  # searches kept per copy, the most recently used


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


@dataclass(frozen=True)
class Matches:
    """The practices whose text has every term of a search: most relevant first, and as bits."""

    ranked: array  # of practice ids: 0.8 MB for 100,000 (as a list of ints, 3.6 MB)
    bits: int


class IndexCopy:
    """One database's facet values, date orders and recent searches, at one version."""

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
        self.kept: OrderedDict[tuple, Matches] = OrderedDict()
        self.lock = threading.Lock()

    def matches(self, terms: tuple[str, ...]) -> Matches:
        """Return the practices that have all the terms, kept for the next searches."""
        with self.lock:
            if terms in self.kept:
                self.kept.move_to_end(terms)
                return self.kept[terms]
        ranked = array("q", db.session.scalars(FullText(list(terms)).ranked()))
        found = Matches(ranked, bitset(ranked))
        with self.lock:
            self.kept[terms] = found
            while len(self.kept) > MATCHES_KEPT:
                self.kept.popitem(last=False)
        return found


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
