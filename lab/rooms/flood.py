"""The flood limit: at most N messages in S seconds per person.

Counted in Flask-Limiter's storage (a moving window), so it is in memory on one process and
shared by every process when ``RATELIMIT_STORAGE_URI`` points at Redis.
"""
import functools
import time

from flask import current_app
from limits import RateLimitItemPerSecond
from limits.strategies import MovingWindowRateLimiter

from lab.extensions import limiter


@functools.lru_cache(maxsize=8)
def _window(storage) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage)


@functools.lru_cache(maxsize=8)
def _item(amount: int, seconds: int) -> RateLimitItemPerSecond:
    return RateLimitItemPerSecond(amount, seconds)


def flood_wait(user_id: int) -> float:
    """Count one message by a person; return the seconds they must wait, 0 when it may go."""
    item = _item(int(current_app.config.get("ROOMS_FLOOD_LIMIT", 10)),
                 int(current_app.config.get("ROOMS_FLOOD_SECONDS", 10)))
    window = _window(limiter.storage)  # the app's storage, which the suite resets between tests
    if window.hit(item, "rooms-flood", str(user_id)):
        return 0.0
    reset_at = window.get_window_stats(item, "rooms-flood", str(user_id)).reset_time
    return max(0.1, reset_at - time.time())
