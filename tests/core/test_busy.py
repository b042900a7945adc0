"""A request that finds every database connection in use is answered 503 with a message, not 500."""
import os

import pytest

from lab import create_app
from lab.extensions import db

pytestmark = pytest.mark.skipif(
    not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres"),
    reason="the pool's size and timeout apply on PostgreSQL (TEST_DATABASE_URL)")


def test_a_request_waiting_too_long_for_a_connection_is_told_to_retry(app):
    busy = create_app("testing", {**{k: app.config[k] for k in (
        "SQLALCHEMY_DATABASE_URI", "INSTANCE_DIR", "SERVER_NAME", "JOBS_REDIS_URL")},
        "DATABASE_POOL_SIZE": 1, "DATABASE_MAX_OVERFLOW": 0, "DATABASE_POOL_TIMEOUT": 0.2})
    with busy.app_context():
        held = db.engine.connect()  # the pool's only connection, as a long request would hold it
        try:
            response = busy.test_client().get("/events")
        finally:
            held.close()
            db.engine.dispose()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert "troppe richieste insieme" in response.get_data(as_text=True)
