"""Group commit: writes to one room that arrive together are done together, by one caller.

Messages in a room are numbered under the room row's lock, held until the commit. When each
message took the lock in its own transaction, a busy room's messages queued on that lock, and
under gevent each holder kept it for several rounds of the event loop (the loop is busy sending
the previous messages to every member). Here the first caller for a room becomes its writer:
it takes every message waiting for that room, stores them in one transaction and wakes their
callers; if more arrived meanwhile, it hands the writing over to the first of them and returns.
A quiet room writes batches of one, so nothing waits.

Works with threads and with gevent's patched ones alike. One process's batches are in order;
the database keeps the processes in order among themselves.
"""
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable

MAX_BATCH = 100


@dataclass(eq=False)
class _Entry:
    item: Any
    woken: threading.Event = field(default_factory=threading.Event)
    done: bool = False
    outcome: Any = None


class GroupCommit:
    """Run ``write_batch(key, items)`` for the items submitted for a key while it was busy.

    ``write_batch`` returns one outcome per item, in order; an outcome that is an exception is
    raised in that item's caller, and so is an exception ``write_batch`` raises.
    """

    def __init__(self, write_batch: Callable[[Hashable, list], list], max_batch: int = MAX_BATCH):
        self._write_batch = write_batch
        self._max_batch = max_batch
        self._queues: dict[Hashable, list[_Entry]] = {}
        self._lock = threading.Lock()

    def submit(self, key: Hashable, item):
        """Have ``item`` written with whatever else waits for ``key``; return its outcome."""
        entry = _Entry(item)
        with self._lock:
            queue = self._queues.setdefault(key, [])
            queue.append(entry)
            writes = len(queue) == 1  # nobody is writing for this key
        if not writes:
            entry.woken.wait()  # until written, or until it is this caller's turn to write
        if not entry.done:
            self._write_next(key)
        if isinstance(entry.outcome, BaseException):
            raise entry.outcome
        return entry.outcome

    def _write_next(self, key: Hashable) -> None:
        """Write the oldest waiting batch for ``key`` (this caller's item is its first)."""
        with self._lock:
            batch = self._queues[key][:self._max_batch]
        outcomes: list | None = None
        failure: BaseException = RuntimeError("the batch was interrupted")
        try:
            outcomes = self._write_batch(key, [entry.item for entry in batch])
        except Exception as error:  # noqa: BLE001 - every caller in the batch gets it
            failure = error
        finally:
            with self._lock:
                queue = self._queues[key]
                del queue[:len(batch)]  # the queue only grows at its end meanwhile
                if queue:
                    queue[0].woken.set()  # the next writer
                else:
                    del self._queues[key]
            for n, entry in enumerate(batch):
                entry.outcome = outcomes[n] if outcomes is not None else failure
                entry.done = True
                entry.woken.set()
