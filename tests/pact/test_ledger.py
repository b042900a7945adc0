"""The register is append-only and every tampering behind the application's back is detected."""
import base64
import json
from datetime import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from lab.accounts.models import Region
from lab.extensions import db
from lab.pact import integrity, keys, ledger, versions
from lab.pact.canonical import ENTRY_FIELDS, checkpoint_message, entry_hash
from lab.pact.models import LedgerEntry
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
    assert integrity.verify_ledger().ok


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
    first = db.session.execute(text("SELECT * FROM pact_ledger WHERE seq = 1")).mappings().one()
    forged = {**first, "seq": seq + 1, "signed_at": datetime(2030, 1, 1), "prev_hash": head}
    forged["entry_hash"] = entry_hash(head, forged)
    tamper(f"INSERT INTO pact_ledger ({', '.join(forged)}) "
           f"VALUES ({', '.join(':' + name for name in forged)})", **forged)
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


# --- columns outside the hash (issue 11, finding 4) -------------------------------------------

@pytest.fixture(params=["plain", "with a saved checkpoint"])
def verify_args(request, five_entries, tmp_path):
    """Verify plainly, and with the head's checkpoint saved before the tampering."""
    if request.param == "plain":
        return []
    saved = tmp_path / "checkpoint.json"
    saved.write_text(json.dumps(ledger.checkpoint_document(ledger.latest_checkpoint())))
    return ["--checkpoint", str(saved)]


def region_id(slug):
    return db.session.scalar(select(Region.id).where(Region.slug == slug))


def test_every_column_is_hashed_chained_or_checked():
    assert set(integrity.COLUMNS) == set(LedgerEntry.__table__.columns.keys())
    hashed = {name for name, kind in integrity.COLUMNS.items() if kind == integrity.HASHED}
    assert hashed == set(ENTRY_FIELDS)


def test_moving_an_entry_to_another_region_is_detected(verify_args, runner, client):
    puglia, toscana = region_id("puglia"), region_id("toscana")
    tamper("UPDATE pact_ledger SET region_id = :toscana WHERE seq = 3", toscana=toscana)
    code, output = verdict(runner, *verify_args)
    assert code == 1 and output.startswith("broken at entry 3: region_id does not agree"), output
    page = client.get("/pact").get_data(as_text=True)
    assert 'aria-label="Puglia: Aderisce"' in page  # the page follows the hashed region_code
    assert "Puglia" in client.get("/pact/ledger/3").get_data(as_text=True)
    assert puglia != toscana


def test_pointing_an_entry_at_another_version_is_detected(verify_args, runner, admin):
    other = versions.publish(admin, versions.save_draft(admin, "Patto v2", "# Patto\n\nAltro.\n"))
    tamper("UPDATE pact_ledger SET version_id = :other WHERE seq = 3", other=other.id)
    code, output = verdict(runner, *verify_args)
    assert code == 1 and output.startswith("broken at entry 3: version_id does not agree"), output


@pytest.mark.parametrize("signer", ["another person", "nobody"])
def test_changing_who_signed_an_entry_is_detected(verify_args, runner, admin, signer):
    tamper("UPDATE pact_ledger SET signer_id = :person WHERE seq = 3",
           person=admin.id if signer == "another person" else None)
    code, output = verdict(runner, *verify_args)
    assert code == 1 and output.startswith("broken at entry 3: signer_id does not agree"), output


def test_changing_the_text_of_a_signed_version_is_detected(verify_args, runner):
    tamper("UPDATE pact_versions SET body = 'Le Regioni non si impegnano.'")
    code, output = verdict(runner, *verify_args)
    assert code == 1 and "broken at entry 1: the text of version 1 no longer matches" in output


# --- the platform's pinned key (issue 11, finding 5) ------------------------------------------

def rewrite_from(seq, **changes):
    """Change entry ``seq`` and rehash it and every entry after it, as a forger would."""
    db.session.rollback()
    entries = db.session.scalars(select(LedgerEntry).where(LedgerEntry.seq >= seq)
                                 .order_by(LedgerEntry.seq)).all()
    prev, rows = entries[0].prev_hash, []
    for entry in entries:
        fields = {name: getattr(entry, name) for name in ENTRY_FIELDS}
        fields.update(changes if entry.seq == seq else {})
        digest = entry_hash(prev, fields)
        rows.append({"seq": entry.seq, "prev": prev, "hash": digest, **changes})
        prev = digest
    changed = "".join(f"{name} = :{name}, " for name in changes)
    for row in rows:
        assignments = changed if row["seq"] == seq else ""
        tamper(f"UPDATE pact_ledger SET {assignments}prev_hash = :prev, entry_hash = :hash "
               "WHERE seq = :seq", **row)
    return prev


def sign_as_forger(seq, head_hash, forger):
    """Replace checkpoint ``seq`` by one of ``head_hash`` signed with the forger's own key."""
    message = checkpoint_message(seq, head_hash, "2030-01-01T00:00:00Z")
    tamper("DELETE FROM pact_checkpoints WHERE seq = :seq", seq=seq)
    tamper("INSERT INTO pact_checkpoints (seq, head_hash, signed_at, public_key, signature) "
           "VALUES (:seq, :head, '2030-01-01 00:00:00', :key, :signature)",
           seq=seq, head=head_hash, key=keys.public_key_b64(forger),
           signature=base64.b64encode(forger.sign(message)).decode())


@pytest.fixture
def forger():
    return Ed25519PrivateKey.generate()


def test_a_rewrite_re_signed_with_another_key_fails_at_the_first_changed_entry(
        five_entries, runner, forger):
    sign_as_forger(5, rewrite_from(3, place="Roma"), forger)
    code, output = verdict(runner)
    assert code == 1 and output.startswith("broken at entry 3: checkpoint 5 is signed by key "
                                           f"{keys.fingerprint(keys.public_key_b64(forger))}, "
                                           "not the platform's key"), output


def test_a_rewrite_whose_checkpoints_were_deleted_fails_at_the_first_changed_entry(
        five_entries, runner, forger):
    head = rewrite_from(3, place="Roma")
    tamper("DELETE FROM pact_checkpoints WHERE seq >= 3")
    sign_as_forger(5, head, forger)
    code, output = verdict(runner)
    assert code == 1 and output.startswith("broken at entry 3:"), output
    assert "vouches for entries 1 to 2 only" in output


def test_a_checkpoint_naming_the_platform_key_but_signed_by_another_fails(
        five_entries, runner, forger):
    head = rewrite_from(3, place="Roma")
    sign_as_forger(5, head, forger)
    tamper("UPDATE pact_checkpoints SET public_key = :key WHERE seq = 5", key=keys.public_key_b64())
    code, output = verdict(runner)
    assert code == 1
    assert output.startswith("broken at entry 3: checkpoint 5 has an invalid signature")


def test_a_saved_ledger_names_the_first_changed_entry_when_every_checkpoint_was_replaced(
        five_entries, client, runner, forger, tmp_path):
    saved = tmp_path / "ledger.json"
    saved.write_bytes(client.get("/pact/ledger.json").get_data())
    head = rewrite_from(3, place="Roma")
    tamper("DELETE FROM pact_checkpoints")
    for seq in range(1, 6):
        sign_as_forger(seq, head if seq == 5 else ledger_hash(seq), forger)
    code, output = verdict(runner)
    assert code == 1 and output.startswith("broken at entry 1: checkpoint 5 is signed by key")
    code, output = verdict(runner, "--checkpoint", str(saved))
    assert code == 1 and output.startswith(
        "broken at entry 3: entry 3 differs from the saved copy that the saved checkpoint 5 signed")
    only_checkpoint = tmp_path / "checkpoint.json"
    only_checkpoint.write_text(json.dumps(json.loads(saved.read_text())["checkpoint"]))
    code, output = verdict(runner, "--checkpoint", str(only_checkpoint))
    assert code == 1 and "first at one of entries 1 to 5" in output, output


def ledger_hash(seq):
    return db.session.scalar(text("SELECT entry_hash FROM pact_ledger WHERE seq = :s"), {"s": seq})


def test_the_pinned_key_can_be_given_as_base64_or_as_the_published_pem(five_entries, runner, client,
                                                                       tmp_path, forger):
    pem = tmp_path / "platform.pem"
    pem.write_bytes(client.get("/pact/key.pem").get_data())
    assert verdict(runner, "--public-key", str(pem))[0] == 0
    assert verdict(runner, "--public-key", keys.public_key_b64())[0] == 0
    code, output = verdict(runner, "--public-key", keys.public_key_b64(forger))
    assert code == 1 and "not the platform's key" in output
    code, output = verdict(runner, "--public-key", "not a key")
    assert code == 2 and "--public-key" in output


def test_a_stored_checkpoint_by_another_key_fails_even_if_the_chain_holds(
        five_entries, runner, forger):
    sign_as_forger(2, ledger_hash(2), forger)
    code, output = verdict(runner)
    assert code == 1 and output.startswith("broken at entry 2: checkpoint 2 is signed by key")
