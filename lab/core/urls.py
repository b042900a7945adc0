"""URL helpers shared by the domains."""


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, so redirects cannot leave it."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
