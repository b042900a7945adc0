"""Property: on a ledger of 1,000 entries, any single tampering is found at the right entry."""
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lab.pact.canonical import ENTRY_FIELDS, entry_hash
from lab.pact.models import GENESIS_HASH
from lab.pact.verify import verify_chain

SIZE = 1000


def build_ledger(size=SIZE) -> list[dict]:
    rows, prev, start = [], GENESIS_HASH, datetime(2019, 1, 23, 10)
    for seq in range(1, size + 1):
        row = {"seq": seq, "kind": "adhesion" if seq % 3 else "withdrawal",
               "region_code": f"{seq % 20 + 1:02d}", "version_number": 1 + seq // 400,
               "text_hash": "a" * 64, "signer_name": f"Firmatario {seq}",
               "signer_title": "Assessore", "mandate_act": f"DGR {seq}", "place": "Torino",
               "event": "", "reason": "", "demo": False, "signed_at": start + timedelta(minutes=seq)}
        row["prev_hash"], row["entry_hash"] = prev, entry_hash(prev, row)
        prev = row["entry_hash"]
        rows.append(row)
    return rows


LEDGER = build_ledger()
CHANGES = {"kind": lambda v: "adhesion" if v == "withdrawal" else "withdrawal",
           "region_code": lambda v: "99", "version_number": lambda v: v + 1,
           "text_hash": lambda v: "b" * 64, "signer_name": lambda v: v + "x",
           "signer_title": lambda v: v + "x", "mandate_act": lambda v: v + "x",
           "place": lambda v: "Roma", "event": lambda v: v + "x", "reason": lambda v: v + "x",
           "demo": lambda v: not v, "signed_at": lambda v: v + timedelta(seconds=1),
           "prev_hash": lambda v: "c" * 64, "entry_hash": lambda v: "d" * 64}
assert set(CHANGES) == set(ENTRY_FIELDS) - {"seq"} | {"prev_hash", "entry_hash"}


def test_untouched_ledger_verifies():
    verdict = verify_chain(LEDGER)
    assert verdict.ok and verdict.count == SIZE and verdict.head == LEDGER[-1]["entry_hash"]


@settings(max_examples=300, deadline=None)
@given(index=st.integers(0, SIZE - 1), field=st.sampled_from(sorted(CHANGES)))
def test_changed_field_is_found_at_its_entry(index, field):
    rows = [dict(row) for row in LEDGER]
    rows[index][field] = CHANGES[field](rows[index][field])
    verdict = verify_chain(rows)
    assert not verdict.ok and verdict.broken_seq == index + 1


@settings(max_examples=100, deadline=None)
@given(index=st.integers(0, SIZE - 2))
def test_deleted_entry_is_found(index):
    rows = LEDGER[:index] + LEDGER[index + 1:]
    verdict = verify_chain(rows)
    assert not verdict.ok and verdict.broken_seq == index + 1


@settings(max_examples=100, deadline=None)
@given(index=st.integers(0, SIZE - 1))
def test_inserted_entry_is_found(index):
    forged = dict(LEDGER[index], signer_name="Intruso")
    rows = LEDGER[:index] + [forged] + LEDGER[index:]
    verdict = verify_chain(rows)
    assert not verdict.ok and verdict.broken_seq == index + 1


@settings(max_examples=100, deadline=None)
@given(first=st.integers(0, SIZE - 1), second=st.integers(0, SIZE - 1))
def test_swapped_entries_are_found(first, second):
    if first == second:
        return
    low, high = sorted((first, second))
    rows = list(LEDGER)
    rows[low], rows[high] = rows[high], rows[low]
    verdict = verify_chain(rows)
    assert not verdict.ok and verdict.broken_seq == low + 1


@settings(max_examples=50, deadline=None)
@given(index=st.integers(0, SIZE - 1))
def test_swapped_contents_keeping_sequence_numbers_are_found(index):
    other = (index + 7) % SIZE
    rows = [dict(row) for row in LEDGER]
    for field in set(ENTRY_FIELDS) - {"seq"}:
        rows[index][field], rows[other][field] = LEDGER[other][field], LEDGER[index][field]
    verdict = verify_chain(rows)
    assert not verdict.ok and verdict.broken_seq == min(index, other) + 1
