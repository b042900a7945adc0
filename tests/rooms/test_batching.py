"""Group commit: callers for one key that arrive while it is being written share the next batch."""
import threading
from contextlib import nullcontext

import pytest

from lab.rooms.batching import GroupCommit


class Writer:
    """A ``write_batch`` that records its batches and can be held inside the first one."""

    def __init__(self):
        self.batches: list[tuple[str, list]] = []
        self.inside = threading.Event()
        self.release = threading.Event()

    def __call__(self, key, items):
        self.batches.append((key, list(items)))
        if len(self.batches) == 1:
            self.inside.set()
            assert self.release.wait(5)
        return [ValueError(item) if item == "bad" else f"{key}:{item}" for item in items]


def submit_in_threads(commit, key, items, results=None) -> tuple[dict, list[threading.Thread]]:
    """Submit each item from a thread of its own; ``results`` fills in as they return."""
    results = {} if results is None else results

    def run(item):
        try:
            results[item] = commit.submit(key, item, nullcontext)
        except Exception as error:  # noqa: BLE001 - the test looks at it
            results[item] = error

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    return results, threads


def wait_until_queued(commit, key, count):
    for _ in range(500):
        with commit._lock:
            if len(commit._queues.get(key, ())) == count:
                return
        threading.Event().wait(0.01)
    raise AssertionError(f"{count} callers never queued")


def test_a_lone_caller_writes_at_once():
    writer = Writer()
    writer.release.set()
    assert GroupCommit(writer).submit("room", "a", nullcontext) == "room:a"
    assert writer.batches == [("room", ["a"])]


def queue_one_by_one(commit, key, items) -> tuple[dict, list[threading.Thread]]:
    """Submit the items from threads, each once the previous is queued, so the order is known."""
    results, threads = {}, []
    for item in items:
        threads += submit_in_threads(commit, key, [item], results)[1]
        wait_until_queued(commit, key, len(threads) + 1)  # behind the caller being written
    return results, threads


def test_callers_arriving_during_a_write_share_the_next_batch_in_order():
    writer = Writer()
    commit = GroupCommit(writer)
    first, [leader] = submit_in_threads(commit, 1, ["first"])
    assert writer.inside.wait(5)
    results, threads = queue_one_by_one(commit, 1, ["b", "c", "d"])
    writer.release.set()
    for thread in [leader, *threads]:
        thread.join(5)
    assert writer.batches == [(1, ["first"]), (1, ["b", "c", "d"])]
    assert first == {"first": "1:first"}
    assert results == {"b": "1:b", "c": "1:c", "d": "1:d"}
    assert commit._queues == {}


def test_batches_are_capped_and_the_rest_follow():
    writer = Writer()
    commit = GroupCommit(writer, max_batch=2)
    _, [leader] = submit_in_threads(commit, "k", ["first"])
    assert writer.inside.wait(5)
    results, threads = queue_one_by_one(commit, "k", ["b", "c", "d"])
    writer.release.set()
    for thread in [leader, *threads]:
        thread.join(5)
    assert [items for _key, items in writer.batches] == [["first"], ["b", "c"], ["d"]]
    assert results == {"b": "k:b", "c": "k:c", "d": "k:d"}


def test_keys_do_not_wait_for_each_other():
    writer = Writer()
    commit = GroupCommit(writer)
    _, [held] = submit_in_threads(commit, "busy", ["first"])
    assert writer.inside.wait(5)
    # while "busy" is still being written:
    assert commit.submit("quiet", "x", nullcontext) == "quiet:x"
    writer.release.set()
    held.join(5)


def test_an_outcome_that_is_an_exception_is_raised_in_its_caller_only():
    writer = Writer()
    writer.release.set()
    commit = GroupCommit(writer)
    with pytest.raises(ValueError):
        commit.submit("k", "bad", nullcontext)
    assert commit.submit("k", "good", nullcontext) == "k:good"


def test_a_failed_write_reaches_every_caller_of_the_batch_and_the_next_batch_still_runs():
    calls = []

    def write_batch(key, items):
        calls.append(items)
        if len(calls) == 2:
            raise RuntimeError("database gone")
        if len(calls) == 1:
            inside.set()
            assert release.wait(5)
        return list(items)

    inside, release = threading.Event(), threading.Event()
    commit = GroupCommit(write_batch)
    _, [leader] = submit_in_threads(commit, "k", ["first"])
    assert inside.wait(5)
    results, threads = queue_one_by_one(commit, "k", ["b", "c"])
    release.set()
    for thread in [leader, *threads]:
        thread.join(5)
    assert all(isinstance(outcome, RuntimeError) for outcome in results.values())
    assert commit.submit("k", "after", nullcontext) == "after"
    assert commit._queues == {}


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_writer_that_stops_fails_its_callers_and_the_key_gets_a_new_writer():
    class Stop(BaseException):
        """What killing the writer's greenlet raises in it."""

    calls = []

    def write_batch(key, items):
        calls.append(items)
        if len(calls) == 1:
            raise Stop()
        return list(items)

    commit = GroupCommit(write_batch)
    with pytest.raises(RuntimeError, match="writer stopped"):
        commit.submit("k", "lost", nullcontext)
    assert commit.submit("k", "next", nullcontext) == "next"
    assert commit._queues == {}


def test_the_writer_runs_in_the_context_it_is_given():
    seen = []
    local = threading.local()

    class Context:
        def __enter__(self):
            local.inside = True

        def __exit__(self, *exc):
            local.inside = False

    commit = GroupCommit(lambda key, items: [seen.append(getattr(local, "inside", False))])
    commit.submit("k", "x", Context)
    assert seen == [True]


def test_a_writer_that_ends_leaves_the_next_writers_queue_alone():
    first_exiting, first_may_exit = threading.Event(), threading.Event()
    contexts = []

    class Context:
        """The first writer's context is slow to close, as an app context's teardown can be."""

        def __init__(self):
            self.first = not contexts
            contexts.append(self)

        def __enter__(self):
            pass

        def __exit__(self, *exc):
            if self.first:
                first_exiting.set()
                assert first_may_exit.wait(5)

    def write_batch(key, items):
        if items == ["second"]:  # written by a new writer while the first one is closing
            first_may_exit.set()
            threading.Event().wait(0.2)  # long enough for the first writer to finish closing
        return list(items)

    commit = GroupCommit(write_batch)
    assert commit.submit("k", "first", Context) == "first"
    assert first_exiting.wait(5)
    assert commit.submit("k", "second", Context) == "second"
    assert len(contexts) == 2 and commit._queues == {}
