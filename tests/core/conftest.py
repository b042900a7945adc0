"""Apps in the other configurations, beside the suite's testing one."""
import contextvars

import pytest

from lab import create_app

PRODUCTION_SECRET = "a-real-secret-for-this-test-0123456789"


@pytest.fixture
def make_app(monkeypatch, app):
    """Build an app in ``config`` on the suite's database, as ``create_app`` does at start-up.

    Sockets stay on threads: a gevent Socket.IO server in this unpatched process would break
    the socket tests that follow.
    """
    monkeypatch.setenv("SECRET_KEY", PRODUCTION_SECRET)
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])

    def make(config: str, **overrides):
        overrides = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                     "SOCKETIO_ASYNC_MODE": "threading", **overrides}
        return contextvars.Context().run(create_app, config, overrides)

    return make


def request(app, method: str, path: str, **kwargs):
    """Send a request to ``app`` in a context of its own, outside the suite's app context."""
    client = kwargs.pop("client", None) or app.test_client()
    return contextvars.Context().run(client.open, path, method=method, **kwargs)
