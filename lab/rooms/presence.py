"""Who is in a room now: kept in memory on one process, in Redis with expiry across several.

Also where the rooms find the Redis their processes share (presence, and lab.rooms.control's
orders), when one is configured.
"""
import threading
import time
from collections import defaultdict

import redis
from flask import Flask, current_app

DEFAULT_PREFIX = "lab:rooms:"
TTL = 90  # an entry left by a killed process disappears after this many seconds
REFRESH = 30
ANYWHERE = "any"  # the set of everyone in some room, beside one set per room


class MemoryPresence:
    def __init__(self):
        self.local: dict[tuple[int, str], int] = {}
        self._lock = threading.Lock()

    def enter(self, room_id: int, sid: str, user_id: int) -> None:
        with self._lock:
            self.local[(room_id, sid)] = user_id

    def leave(self, room_id: int, sid: str) -> None:
        with self._lock:
            self.local.pop((room_id, sid), None)

    def rooms_of(self, sid: str) -> list[int]:
        with self._lock:
            return [room_id for room_id, entry_sid in self.local if entry_sid == sid]

    def who(self, room_id: int) -> set[int]:
        with self._lock:
            return {user for (room, _sid), user in self.local.items() if room == room_id}

    def connected(self, user_ids) -> set[int]:
        """Return which of these people are in some room now."""
        with self._lock:
            return set(self.local.values()) & set(user_ids)

    def refresh(self) -> None:
        """Nothing expires in memory."""


class RedisPresence(MemoryPresence):
    """Each process writes its own entries with an expiry and renews them while they last."""

    def __init__(self, client, prefix: str):
        super().__init__()
        self.client, self.prefix = client, prefix

    def _key(self, room_id: int | str) -> str:
        return f"{self.prefix}presence:{room_id}"

    def enter(self, room_id: int, sid: str, user_id: int) -> None:
        super().enter(room_id, sid, user_id)
        member = {f"{user_id}:{sid}": time.time() + TTL}
        self.client.zadd(self._key(room_id), member)
        self.client.zadd(self._key(ANYWHERE), member)

    def leave(self, room_id: int, sid: str) -> None:
        user_id = self.local.get((room_id, sid))
        super().leave(room_id, sid)
        if user_id is not None:
            self.client.zrem(self._key(room_id), f"{user_id}:{sid}")
            if not self.rooms_of(sid):
                self.client.zrem(self._key(ANYWHERE), f"{user_id}:{sid}")

    def who(self, room_id: int | str) -> set[int]:
        key = self._key(room_id)
        self.client.zremrangebyscore(key, "-inf", time.time())
        return {int(member.split(":", 1)[0]) for member in self.client.zrange(key, 0, -1)}

    def connected(self, user_ids) -> set[int]:
        return self.who(ANYWHERE) & set(user_ids)

    def refresh(self) -> None:
        """Renew this process's entries so they outlive the expiry."""
        with self._lock:
            entries = list(self.local.items())
        by_room = defaultdict(dict)
        for (room_id, sid), user_id in entries:
            by_room[room_id][f"{user_id}:{sid}"] = time.time() + TTL
            by_room[ANYWHERE][f"{user_id}:{sid}"] = time.time() + TTL
        for room_id, members in by_room.items():
            self.client.zadd(self._key(room_id), members)


def presence():
    """Return this app's presence store."""
    extensions = current_app.extensions
    if "rooms.presence" not in extensions:
        client = redis_client(current_app)
        extensions["rooms.presence"] = (RedisPresence(client, redis_prefix(current_app)) if client
                                        else MemoryPresence())
    return extensions["rooms.presence"]


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
