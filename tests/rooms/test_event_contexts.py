"""Each Socket.IO event's request context is freed when the event ends, not left to the cycle
collector, whose full passes stop a busy process's event loop."""
import gc

import pytest
from flask.ctx import RequestContext

WEBSOCKET = {"Upgrade": "websocket", "Connection": "Upgrade"}


@pytest.mark.parametrize("headers", [{}, WEBSOCKET], ids=["long-polling", "websocket"])
@pytest.mark.parametrize("path", ["/socket.io/", "/socket.io"])
def test_the_socketio_path_matches_a_rule_for_either_transport(app, headers, path):
    with app.test_request_context(path, headers=headers) as context:
        assert context.request.routing_exception is None


def test_events_leave_no_request_context_behind_for_the_cycle_collector(connect, room, delegate):
    member = connect(delegate)
    member.emit("join", {"room": room.id})
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds is kept in gc.garbage
    try:
        for n in range(10):
            member.send(room, f"Messaggio {n}")
            member.emit("typing", {"room": room.id})
        gc.collect()
        left = [found for found in gc.garbage if isinstance(found, RequestContext)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []
