"""Links that leave the site (mail, PDF, QR codes, calendars, feeds), built from ``SITE_URL``.

A link built from the request would follow whatever ``Host`` header the client sent, so a
password-reset mail could point at an attacker's server. These never look at the request.
"""
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """Return the absolute address of ``endpoint`` on the configured public site."""
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(
        site.netloc, script_name=site.path or "/", url_scheme=site.scheme)
    return adapter.build(endpoint, values, force_external=True)
