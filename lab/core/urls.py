"""URL helpers shared by the domains."""
from urllib.parse import urlsplit

NEXT_MAX_LENGTH = 2000


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, so redirects cannot leave it.

    Browsers drop tabs and newlines anywhere in a URL, skip leading control characters and read
    ``\\`` as ``/``: ``/<TAB>/evil.example`` becomes ``//evil.example``, another site. So only
    printable text without spaces or backslashes is taken, it must parse with no scheme and no
    host, and its path must start with one slash and hold no ``//`` (urlsplit reads ``///host``
    as an empty host followed by a path, hence the look at the raw path).
    """
    if not target or len(target) > NEXT_MAX_LENGTH or not target.isprintable():
        return None
    if "\\" in target or " " in target:
        return None
    parts = urlsplit(target)
    raw_path = target.partition("#")[0].partition("?")[0]
    if parts.scheme or parts.netloc or not raw_path.startswith("/") or "//" in raw_path:
        return None
    return target
