"""The register is append-only and every tampering behind the application's back is detected."""
import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from lab.extensions import db
from lab.pact import ledger
from lab.pact.canonical import entry_hash
from tests.append_only import triggers_bypassed
from tests.factories import make_person


@pytest.fixture(autouse=True, params=["one process", "several processes"])
def verification_mode(request, monkeypatch):
    """Run every check both ways: one walk, and ranges checked in parallel then joined."""
    if request.param == "several processes":
        monkeypatch.setattr(ledger, "PARALLEL_FROM", 2)
        monkeypatch.setattr(ledger.os, "cpu_count", lambda: 3)


@pytest.fixture
def five_entries(sign, signatory):
    """Five entries: adhesions by five regions' delegates with authority."""
    sign(signatory)
    for slug in ("toscana", "puglia", "molise", "calabria"):
        sign(make_person(f"firma@{slug}.it", f"Firma {slug}", "delegate", slug, mandate=True))
    assert ledger.verify_ledger().ok


def tamper(sql, **params):
    """Run SQL on the register as someone with direct database access would."""
    db.session.rollback()
    with db.engine.begin() as connection, triggers_bypassed(connection):
        connection.execute(text(sql), params)


def verdict(runner, *args):
    result = runner.invoke(args=["pact", "verify", *args])
    return result.exit_code, result.output


def test_verify_command_reports_an_intact_chain(five_entries, runner):
    code, output = verdict(runner)
    head = ledger.head()[1]
    assert code == 0 and output.strip() == f"5 entries, chain intact, head {head}"


@pytest.mark.parametrize("operation", ["UPDATE pact_ledger SET place = 'Roma' WHERE seq = 3",
                                       "DELETE FROM pact_ledger WHERE seq = 3"])
def test_database_refuses_updates_and_deletes(five_entries, operation):
    db.session.rollback()
    with pytest.raises(DatabaseError, match="append-only"):
        with db.engine.begin() as connection:
            connection.execute(text(operation))


@pytest.mark.parametrize("column, value", [
    ("kind", "withdrawal"), ("region_code", "12"), ("version_number", 7),
    ("text_hash", "f" * 64), ("signer_name", "Altro"), ("signer_title", "Altro"),
    ("mandate_act", "Altro"), ("place", "Roma"), ("event", "Altro"), ("reason", "Altro"),
    ("demo", True), ("signed_at", "2030-01-01 00:00:00"), ("prev_hash", "a" * 64),
    ("entry_hash", "b" * 64),
])
def test_changing_any_field_is_detected_at_that_entry(five_entries, runner, column, value):
    tamper(f"UPDATE pact_ledger SET {column} = :value WHERE seq = 3", value=value)
    code, output = verdict(runner)
    assert code == 1 and output.startswith("broken at entry 3:"), output


def test_deleting_an_entry_is_detected(five_entries, runner):
    tamper("DELETE FROM pact_ledger WHERE seq = 2")
    code, output = verdict(runner)
    assert code == 1 and "broken at entry 2: sequence number 2 is missing" in output


def test_swapping_two_entries_is_detected(five_entries, runner):
    tamper("UPDATE pact_ledger SET seq = seq + 1000 WHERE seq IN (2, 4)")
    tamper("UPDATE pact_ledger SET seq = 4 WHERE seq = 1002")
    tamper("UPDATE pact_ledger SET seq = 2 WHERE seq = 1004")
    code, output = verdict(runner)
    assert code == 1 and output.startswith("broken at entry 2:")


def test_inserting_a_well_formed_entry_is_detected(five_entries, runner):
    seq, head = ledger.head()
    forged = {"seq": seq + 1, "kind": "adhesion", "region_code": "12", "version_number": 1,
              "text_hash": "0" * 64, "signer_name": "Falso", "signer_title": "Falso",
              "mandate_act": "Nessuno", "place": "Roma", "event": "", "reason": "",
              "demo": False, "signed_at": "2030-01-01T00:00:00Z"}
    tamper("INSERT INTO pact_ledger (seq, kind, region_id, region_code, version_id, version_number,"
           " text_hash, signer_name, signer_title, mandate_act, place, event, reason, demo,"
           " signed_at, prev_hash, entry_hash) SELECT :seq, 'adhesion', id, '12', 1, 1, :th,"
           " 'Falso', 'Falso', 'Nessuno', 'Roma', '', '', false, '2030-01-01 00:00:00', :prev, :hash"
           " FROM regions WHERE istat_code = '12'",
           seq=seq + 1, th="0" * 64, prev=head, hash=entry_hash(head, forged))
    code, output = verdict(runner)
    assert code == 1 and f"broken at entry {seq + 1}:" in output, output
    assert "not added by the platform" in output


def test_cutting_the_tail_is_detected_by_a_saved_checkpoint(five_entries, runner, tmp_path):
    saved = tmp_path / "checkpoint.json"
    saved.write_text(json.dumps(ledger.checkpoint_document(ledger.latest_checkpoint())))
    tamper("DELETE FROM pact_checkpoints WHERE seq >= 4")
    tamper("DELETE FROM pact_ledger WHERE seq >= 4")
    assert verdict(runner)[0] == 0  # the chain that is left is consistent...
    code, output = verdict(runner, "--checkpoint", str(saved))
    assert code == 1 and "tail was cut" in output  # ...but not what was signed


def test_rewriting_the_whole_ledger_is_detected_by_a_saved_checkpoint(five_entries, runner, tmp_path):
    saved = tmp_path / "checkpoint.json"
    saved.write_text(json.dumps({"checkpoint": ledger.checkpoint_document(ledger.checkpoint_at(3))}))
    tamper("UPDATE pact_ledger SET entry_hash = CASE WHEN substr(entry_hash, 1, 1) = 'c' "
           "THEN 'd' ELSE 'c' END || substr(entry_hash, 2) WHERE seq = 3")
    code, output = verdict(runner, "--checkpoint", str(saved))
    assert code == 1 and "broken at entry 3" in output


def test_a_forged_checkpoint_signature_is_detected(five_entries, runner, tmp_path):
    document = ledger.checkpoint_document(ledger.latest_checkpoint())
    document["head_hash"] = "d" * 64
    saved = tmp_path / "checkpoint.json"
    saved.write_text(json.dumps(document))
    code, output = verdict(runner, "--checkpoint", str(saved))
    assert code == 1 and "invalid signature" in output


def test_every_entry_has_the_checkpoint_of_its_own_append(five_entries):
    for seq in range(1, 6):
        checkpoint = ledger.checkpoint_at(seq)
        assert checkpoint.head_hash == db.session.scalar(
            text("SELECT entry_hash FROM pact_ledger WHERE seq = :s"), {"s": seq})
