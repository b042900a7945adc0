"""The platform's Ed25519 key, kept in a file outside the database, that signs checkpoints.

Its public half is pinned: verification takes it from this file or from the person verifying
(``--public-key``, the fingerprint published on ``/pact/key``), never from a checkpoint row.
"""
import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

_cache: dict[str, Ed25519PrivateKey] = {}


class SigningKeyMissing(RuntimeError):
    """The configured key file does not exist: run ``flask --app wsgi pact keygen``."""


def generate_key_file(path: Path) -> bool:
    """Write a new private key (mode 0600) unless one exists; return whether one was made."""
    path = Path(path)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return True


def private_key() -> Ed25519PrivateKey:
    path = str(current_app.config["PACT_SIGNING_KEY"])
    if path not in _cache:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError as error:
            raise SigningKeyMissing(f"Pact signing key not found at {path}") from error
        _cache[path] = serialization.load_pem_private_key(data, password=None)
    return _cache[path]


def public_key_b64(key: Ed25519PrivateKey | None = None) -> str:
    raw = (key or private_key()).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def fingerprint(public_key: str) -> str:
    """The SHA-256 of the raw 32-byte public key, in hex: what the site and the README publish."""
    try:
        return hashlib.sha256(base64.b64decode(public_key, validate=True)).hexdigest()
    except (binascii.Error, TypeError):
        return "(not a key)"


def public_key_pem(public_key: str) -> str:
    """The public key as a PEM ``PUBLIC KEY`` block, as served at ``/pact/key.pem``."""
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def read_public_key(value: str) -> str:
    """A public key given as base64 or as a file (PEM or base64), returned as base64.

    Raises ``ValueError`` when ``value`` is not an Ed25519 public key.
    """
    path = Path(value)
    data = path.read_bytes() if path.is_file() else value.encode()
    if b"-----BEGIN PUBLIC KEY-----" in data:
        key = serialization.load_pem_public_key(data)
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return base64.b64encode(key.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()
    try:
        raw = base64.b64decode(data.strip(), validate=True)
    except binascii.Error as error:
        raise ValueError("not a base64 public key, nor a PEM file") from error
    Ed25519PublicKey.from_public_bytes(raw)  # raises ValueError unless 32 bytes
    return base64.b64encode(raw).decode()


def sign(message: bytes) -> str:
    return base64.b64encode(private_key().sign(message)).decode()


def signature_is_valid(public_key: str, message: bytes, signature: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key)).verify(
            base64.b64decode(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True
