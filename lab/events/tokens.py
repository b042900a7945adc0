"""The tokens in links mailed to people without an account; only their hash is stored."""
import hashlib
import secrets


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """Return a fresh token for a link and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)
