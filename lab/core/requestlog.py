"""Request ids, and in production one JSON line per request on stderr.

Each response carries ``X-Request-ID``: nginx's own id (``$request_id``) when the app sits
behind trusted proxies (``PROXY_COUNT``), else one made here, so a complaint, nginx's log and
the app's log name the same request.
"""
import json
import logging
import re
import sys
import time
import uuid

from flask import current_app, g, request
from flask_login import current_user

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
logger = logging.getLogger("lab.requests")


class JsonFormatter(logging.Formatter):
    """One JSON object per record, with the record's ``fields`` merged in, times in UTC."""

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%SZ"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_id() -> str:
    """Return this request's id: the trusted proxy's, or a new one."""
    if "request_id" not in g:
        incoming = request.headers.get("X-Request-ID", "")
        trusted = current_app.config["PROXY_COUNT"] > 0 and REQUEST_ID.fullmatch(incoming)
        g.request_id = incoming if trusted else uuid.uuid4().hex
    return g.request_id


def init_app(app) -> None:
    if app.config["JSON_LOGS"]:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        # The app's logger is named after the package, "lab"; lab.requests passes its lines up.
        logging.getLogger("lab").handlers = [handler]

    @app.before_request
    def start_clock():
        g.request_started = time.perf_counter()
        request_id()

    @app.after_request
    def log_request(response):
        response.headers["X-Request-ID"] = request_id()
        if app.config["JSON_LOGS"]:
            started = g.get("request_started")
            logger.info("request", extra={"fields": {
                "request_id": request_id(),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                "user_id": current_user.id if current_user.is_authenticated else None,
                "address": request.remote_addr,
            }})
        return response
