"""The flood limit: at most N messages in S seconds per person.

Counted in Flask-Limiter's storage (a moving window), so it is in memory on one process and
shared by every process when ``RATELIMIT_STORAGE_URI`` points at Redis.
"""
import time

from flask import current_app
from limits import RateLimitItemPerSecond
from limits.strategies import MovingWindowRateLimiter

from lab.extensions import limiter


def flood_wait(user_id: int) -> float:
    """Count one message by a person; return the seconds they must wait, 0 when it may go."""
    amount = int(current_app.config.get("ROOMS_FLOOD_LIMIT", 10))
    seconds = int(current_app.config.get("ROOMS_FLOOD_SECONDS", 10))
    item = RateLimitItemPerSecond(amount, seconds)
    window = MovingWindowRateLimiter(limiter.storage)
    if window.hit(item, "rooms-flood", str(user_id)):
        return 0.0
    reset_at = window.get_window_stats(item, "rooms-flood", str(user_id)).reset_time
    return max(0.1, reset_at - time.time())
