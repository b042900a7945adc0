"""Where the rooms keep what is shared between processes: Redis when configured, else memory."""
import redis

from flask import Flask

DEFAULT_PREFIX = "lab:rooms:"


def redis_url(app: Flask) -> str | None:
    """Return the Redis the rooms share (``ROOMS_REDIS_URL`` or the Socket.IO queue), if any."""
    url = app.config.get("ROOMS_REDIS_URL") or app.config.get("SOCKETIO_MESSAGE_QUEUE")
    return url if url and url.startswith(("redis://", "rediss://", "unix://")) else None


def redis_client(app: Flask):
    """Return the app's Redis client for the rooms, or None on a single process."""
    if "rooms.redis" not in app.extensions:
        url = redis_url(app)
        app.extensions["rooms.redis"] = redis.Redis.from_url(url, decode_responses=True) if url else None
    return app.extensions["rooms.redis"]


def redis_prefix(app: Flask) -> str:
    return app.config.get("ROOMS_REDIS_PREFIX", DEFAULT_PREFIX)
