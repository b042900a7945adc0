"""The exact bytes that are hashed: Pact texts, register entries and checkpoints.

Everything here is documented in the README, so anyone can recompute the hashes without us.
"""
import hashlib
import json
import unicodedata
from datetime import datetime

# The fields of an entry that its hash covers, in the canonical JSON (keys are sorted).
ENTRY_FIELDS = ("seq", "kind", "region_code", "version_number", "text_hash", "signer_name",
                "signer_title", "mandate_act", "place", "event", "reason", "demo", "signed_at")


def normalise_text(text: str) -> str:
    """Unicode NFC, newlines as LF, no trailing newline: the form a Pact text is hashed in."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip("\n")


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


# One encoder for every call: verifying 100,000 entries builds no encoder per entry.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def timestamp(moment: datetime) -> str:
    """UTC to the second, ISO 8601 with a Z: ``2019-01-23T10:30:00Z`` (from naive UTC)."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def canonical_json(data: dict) -> bytes:
    return _ENCODER.encode(data).encode("utf-8")


def entry_payload(fields: dict) -> dict:
    """The hashed content of an entry, from a mapping holding at least ``ENTRY_FIELDS``."""
    payload = {name: fields[name] for name in ENTRY_FIELDS}
    if isinstance(payload["signed_at"], datetime):
        payload["signed_at"] = timestamp(payload["signed_at"])
    payload["demo"] = bool(payload["demo"])
    return payload


def entry_hash(prev_hash: str, fields: dict) -> str:
    """SHA-256 over the previous entry's hash (32 raw bytes) followed by the canonical JSON."""
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical_json(entry_payload(fields))).hexdigest()


def checkpoint_message(seq: int, head_hash: str, signed_at: str) -> bytes:
    """What a checkpoint signature covers."""
    return canonical_json({"seq": seq, "head_hash": head_hash, "signed_at": signed_at})
