"""Group commit: writes to one room that arrive together are done together, by one writer.

Messages in a room are numbered under the room row's lock, held until the commit. When each
message took the lock in its own transaction, a busy room's messages queued on that lock, and
under gevent each holder kept it for several rounds of the event loop (the loop is busy sending
the previous messages to every member). Here a room with messages waiting has one writer, a
thread (a greenlet under gevent) of its own: it takes every message waiting, stores them
together, wakes their callers, and goes on while more are waiting. A quiet room writes
batches of one, so nothing waits.

The writer does not wait to be scheduled between batches, as a caller handed the writing would:
on a busy process that wait was longer than the batch itself. One process's batches are in
order; the database keeps the processes in order among themselves.

Kept for its figure: in a room of 200 on PostgreSQL, 3.5-4.6 times the saturation throughput of
one transaction per message, measured in the same run (bench/README.md, "The write path").
"""
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable

MAX_BATCH = 100


@dataclass(eq=False)
class _Entry:
    item: Any
    done: threading.Event = field(default_factory=threading.Event)
    outcome: Any = None


class GroupCommit:
    """Run ``write_batch(key, items)`` for the items submitted for a key while it was busy.

    ``write_batch`` returns one outcome per item, in order; an outcome that is an exception is
    raised in that item's caller, and so is an exception ``write_batch`` raises.
    """

    def __init__(self, write_batch: Callable[[Hashable, list], list], max_batch: int = MAX_BATCH):
        self._write_batch = write_batch
        self._max_batch = max_batch
        self._queues: dict[Hashable, list[_Entry]] = {}  # a key has a queue while it has a writer
        self._lock = threading.Lock()

    def submit(self, key: Hashable, item, context: Callable[[], AbstractContextManager]):
        """Have ``item`` written with whatever else waits for ``key``; return its outcome.

        ``context`` makes what the writer runs in (the application's context), if it starts one.
        """
        entry = _Entry(item)
        with self._lock:
            queue = self._queues.get(key)
            starts_writer = queue is None
            if starts_writer:
                queue = self._queues[key] = []
            queue.append(entry)
        if starts_writer:
            try:
                threading.Thread(target=self._write_all, args=(key, queue, context),
                                 daemon=True).start()
            except BaseException:
                self._abandon(key, queue)
                raise
        entry.done.wait()
        if isinstance(entry.outcome, BaseException):
            raise entry.outcome
        return entry.outcome

    def _write_all(self, key: Hashable, queue: list[_Entry], context) -> None:
        """Write the batches of this writer's queue, oldest first, until none is waiting."""
        try:
            with context():
                while batch := self._next_batch(key, queue):
                    self._write(key, queue, batch)
        finally:
            self._abandon(key, queue)

    def _abandon(self, key: Hashable, queue: list[_Entry]) -> None:
        """Fail what is left in a writer's queue (if it stopped early) and free the key."""
        with self._lock:
            stranded = list(queue)
            if self._queues.get(key) is queue:  # and not a later writer's queue
                del self._queues[key]
        self._finish(stranded, [RuntimeError("the room's writer stopped")] * len(stranded))

    def _next_batch(self, key: Hashable, queue: list[_Entry]) -> list[_Entry]:
        with self._lock:
            batch = queue[:self._max_batch]
            if not batch:
                del self._queues[key]  # the next submit starts a new writer, with a new queue
            return batch

    def _write(self, key: Hashable, queue: list[_Entry], batch: list[_Entry]) -> None:
        try:
            outcomes = self._write_batch(key, [entry.item for entry in batch])
        except Exception as error:  # noqa: BLE001 - every caller in the batch gets it
            outcomes = [error] * len(batch)
        with self._lock:
            del queue[:len(batch)]  # the queue only grows at its end meanwhile
        self._finish(batch, outcomes)

    @staticmethod
    def _finish(entries: list[_Entry], outcomes: list) -> None:
        for entry, outcome in zip(entries, outcomes):
            entry.outcome = outcome
            entry.done.set()
