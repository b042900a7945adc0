"""Requests beyond the pool's connections wait in line, and are let in in arrival order."""
import threading
import time

from lab.core.database import ArrivalLine, in_arrival_order


def queue_behind(line: ArrivalLine, entered: list, name: str) -> threading.Thread:
    """Start a thread that waits for a place in ``line``, and return once it is in the line."""
    waiting = line.waiting
    thread = threading.Thread(target=lambda: line.enter(5) and entered.append(name))
    thread.start()
    deadline = time.monotonic() + 5
    while line.waiting == waiting and time.monotonic() < deadline:
        time.sleep(0.001)
    return thread


def test_a_place_given_back_goes_to_the_longest_waiting_not_to_a_newcomer():
    # threading.Semaphore or the pool's queue let the newcomer in here: a freed place goes to
    # whoever asks first, before the waiting thread wakes up.
    line, entered = ArrivalLine(1), []
    assert line.enter()
    waiter = queue_behind(line, entered, "waiter")
    line.leave()
    assert not line.enter(timeout=0)
    waiter.join(5)
    assert entered == ["waiter"]


def test_waiters_are_let_in_in_the_order_they_came():
    line, entered = ArrivalLine(1), []
    assert line.enter()
    threads = [queue_behind(line, entered, name) for name in ("first", "second", "third")]
    for thread in threads:
        line.leave()
        thread.join(5)
    assert entered == ["first", "second", "third"]


def test_a_waiter_whose_time_runs_out_leaves_the_line_without_a_place():
    line = ArrivalLine(1)
    assert line.enter()
    assert not line.enter(timeout=0.01)
    assert line.waiting == 0
    line.leave()
    assert line.enter(timeout=0)


def wait_until(condition) -> None:
    deadline = time.monotonic() + 5
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.001)


def test_beyond_the_pool_a_request_waits_until_an_answer_is_built_but_sockets_pass():
    calls, answered = [], threading.Event()

    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        if environ["PATH_INFO"] == "/events/1/join":
            answered.wait(5)
        return [b"ok"]

    queued = in_arrival_order(app, {"DATABASE_POOL_SIZE": 1, "DATABASE_MAX_OVERFLOW": 0,
                                    "DATABASE_POOL_TIMEOUT": 5})
    first = threading.Thread(target=queued, args=({"PATH_INFO": "/events/1/join"}, None))
    first.start()
    wait_until(lambda: calls)
    second = threading.Thread(target=queued, args=({"PATH_INFO": "/events/2/join"}, None))
    second.start()
    queued({"PATH_INFO": "/socket.io/"}, None)
    time.sleep(0.05)
    assert calls == ["/events/1/join", "/socket.io/"]
    answered.set()
    first.join(5)
    second.join(5)
    assert calls == ["/events/1/join", "/socket.io/", "/events/2/join"]


def test_a_client_reading_its_answer_slowly_keeps_nobody_waiting():
    queued = in_arrival_order(lambda environ, start_response: [b"a long answer"],
                              {"DATABASE_POOL_SIZE": 1, "DATABASE_MAX_OVERFLOW": 0,
                               "DATABASE_POOL_TIMEOUT": 5})
    queued({"PATH_INFO": "/library/1/attachments/1"}, None)  # not read, nor closed, yet
    started = time.monotonic()
    assert queued({"PATH_INFO": "/events"}, None) == [b"a long answer"]
    assert time.monotonic() - started < 1
