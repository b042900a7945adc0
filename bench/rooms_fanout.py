"""Fan-out: one sender, one room of N python-socketio clients over WebSocket; ours vs bare.

For each room size, first against the bare echo server (bench/rooms_bare.py), then against the
platform (deploy/serve.py, one gevent process on PostgreSQL):
  1. saturation: the sender keeps --window messages in flight for a few seconds; deliveries
     per second, with the cores the server used and the share of the machine left idle;
  2. fixed rate at half this server's own saturation rate: latency from send to each receipt;
  3. fixed rate at half the bare server's saturation rate: the same latency (the target).
Targets: our p95 at most 2x the bare server's; our saturation throughput at least 0.7x.
With --shaped-bare, the bare server is measured a second time sending messages of the
platform's shape and size (bench/rooms_bare.py, BARE_PAYLOAD=platform), at the same fixed rate:
a diagnostic that separates the clients' work on larger messages from the server's own.

    .venv/bin/python bench/rooms_fanout.py --sizes 50 200 --seconds 6 --window 512

The window is how many unacknowledged messages the sender allows: the platform acknowledges a
message once it is committed, so with a small window the sender waits on commits and the
figure measures that wait, not what the server can deliver.
"""
import argparse
import json
import tempfile
import threading
import time
import uuid
from pathlib import Path

from rooms_common import (
    DATABASE, PASSWORD, CpuMeter, Crowd, connect, percentile, prepare, scratch_database, session_cookie,
    start_bare, start_ours,
)

def body(phase: str) -> str:
    return f"{phase}|{time.time():.6f}|{uuid.uuid4().hex[:8]}"


def saturate(sender, room: int, seconds: float, window: int) -> tuple[int, float]:
    """Send with ``window`` messages in flight; return how many were sent and when sending began."""
    slots, sent, start = threading.BoundedSemaphore(window), 0, time.time()
    while time.time() - start < seconds:
        slots.acquire()
        sender.emit("send", {"room": room, "body": body("S"), "key": uuid.uuid4().hex},
                    namespace="/rooms", callback=lambda *_: slots.release())
        sent += 1
    for _ in range(window):  # wait for the last acks
        slots.acquire(timeout=30)
    return sent, start


def steady(sender, room: int, rate: float, seconds: float, phase: str = "F") -> int:
    """Send at a fixed rate without waiting for acks; return how many were sent."""
    start, sent = time.time(), 0
    while (elapsed := time.time() - start) < seconds:
        if sent < elapsed * rate:
            sender.emit("send", {"room": room, "body": body(phase), "key": uuid.uuid4().hex},
                        namespace="/rooms")
            sent += 1
        else:
            time.sleep(min(0.002, sent / rate - elapsed))
    return sent


def drain(crowd: Crowd, quiet: float = 1.0) -> list[tuple]:
    """Collect until nothing has arrived for ``quiet`` seconds: the phase is fully delivered.

    A server that acknowledges before delivering (the bare one) builds a backlog at saturation;
    the next phase starts once it has drained, or it would be measured on a busy server.
    """
    samples = []
    while True:
        time.sleep(quiet)
        arrived = crowd.collect()
        if not arrived:
            return samples
        samples += arrived


def measure(server, sender_cookie, reader_cookie, room, size, seconds, window, rate=None) -> dict:
    """Run the three phases against one server and return its figures."""
    url = server.url
    crowd = Crowd(url, reader_cookie, room, size)
    sender = connect(url, sender_cookie)
    sender.call("join", {"room": room}, namespace="/rooms")
    steady(sender, room, 50, 1, phase="W")  # warm-up
    drain(crowd)
    cpu = CpuMeter(server.process.pid)
    sent, started = saturate(sender, room, seconds, window)
    result = {"saturation_msgs_sent": sent, **cpu.read()}
    saturation = [s for s in drain(crowd) if s[0] == "S"]
    duration = max(s[2] for s in saturation) - started
    delivered_rate = len(saturation) / size / duration
    if rate is None:
        rate = 0.5 * delivered_rate  # half of what the bare server delivers at saturation
    # At half this server's own saturation first: once overloaded, a backlog would linger.
    own_rate = 0.5 * delivered_rate
    steady(sender, room, own_rate, seconds, phase="G")
    own = [s[1] * 1000 for s in drain(crowd) if s[0] == "G"]
    fixed_sent = steady(sender, room, rate, seconds)
    fixed = [s[1] * 1000 for s in drain(crowd) if s[0] == "F"]
    sender.disconnect()
    crowd.finish()
    result.update({
        "deliveries_per_s": round(len(saturation) / duration),
        "saturation_msgs_per_s": round(delivered_rate, 1),
        "fixed_rate_msgs_per_s": round(rate, 1),
        "fixed_deliveries": f"{len(fixed)}/{fixed_sent * size}",
        "p50_ms": round(percentile(fixed, 0.50), 1),
        "p95_ms": round(percentile(fixed, 0.95), 1),
        "p99_ms": round(percentile(fixed, 0.99), 1),
        "own_half_rate_msgs_per_s": round(own_rate, 1),
        "own_half_rate_p50_p95_p99_ms": [round(percentile(own, q), 1) for q in (0.5, 0.95, 0.99)],
    })
    return result


def measure_bare(size: int, seconds: float, window: int, folder: Path, payload: str = "echo",
                 rate=None) -> dict:
    bare = start_bare(folder, payload)
    try:
        return measure(bare, None, None, 1, size, seconds, window, rate=rate)
    finally:
        bare.stop()


def run_size(size: int, seconds: float, window: int, folder: Path, shaped: bool) -> dict:
    baseline = measure_bare(size, seconds, window, folder)
    with scratch_database(DATABASE) as database:
        setup = prepare(database, members=1, instance=folder)
        ours = start_ours(database, folder)
        try:
            sender_cookie = session_cookie(ours.url, setup["emails"][0], PASSWORD)
            reader_cookie = session_cookie(ours.url, setup["emails"][1], PASSWORD)
            platform = measure(ours, sender_cookie, reader_cookie, setup["room"], size,
                               seconds, window, rate=baseline["fixed_rate_msgs_per_s"])
        finally:
            ours.stop()
    result = {"size": size, "bare": baseline, "ours": platform, **ratios(platform, baseline)}
    if shaped:  # the same rate as the target's, so that its p95 compares with ours
        twin = measure_bare(size, seconds, window, folder, "platform",
                            rate=baseline["fixed_rate_msgs_per_s"])
        result.update(bare_platform_shaped=twin, vs_platform_shaped=ratios(platform, twin))
    return result


def ratios(platform: dict, baseline: dict) -> dict:
    return {"p95_ratio": round(platform["p95_ms"] / baseline["p95_ms"], 2),
            "throughput_ratio": round(platform["deliveries_per_s"] / baseline["deliveries_per_s"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--window", type=int, default=512)
    parser.add_argument("--shaped-bare", action="store_true",
                        help="also measure the bare server sending messages of the platform's shape")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lab-bench-") as tmp:
        for size in args.sizes:
            result = run_size(size, args.seconds, args.window, Path(tmp), args.shaped_bare)
            print(json.dumps(result), flush=True)
            print(f"room of {size}: p95 ours/bare = {result['p95_ratio']} (target <= 2), "
                  f"saturation throughput ours/bare = {result['throughput_ratio']} (target >= 0.7)",
                  flush=True)
            if args.shaped_bare:
                shaped = result["vs_platform_shaped"]
                print(f"room of {size}, against the bare server sending the platform's messages: "
                      f"p95 ratio {shaped['p95_ratio']}, throughput ratio "
                      f"{shaped['throughput_ratio']}", flush=True)


if __name__ == "__main__":
    main()
