"""Fan-out: one sender, one room of N python-socketio clients; the platform vs two bare servers.

For each room size, three servers in each run, one after the other (bench/rooms_bare.py
twice, then the platform: deploy/serve.py, one gevent process on PostgreSQL):
  - durable bare (BARE_DATABASE_URL): stores each message with its sequence number in one
    transaction, then broadcasts it; the fair peer, the simplest server that keeps the
    platform's promise;
  - echo: stores nothing; the limit of the stack;
  - the platform.
Against each one:
  1. saturation: the sender keeps --window messages in flight for a few seconds; deliveries
     per second, with the cores the server used and the share of the machine left idle;
  2. fixed rate at half this server's own saturation rate: latency from send to each receipt;
  3. fixed rate at half the durable server's saturation rate: the same latency (the target's).
Targets, against durable bare: our p95 at most 1.0x; our saturation throughput at least 1.5x.
The ratios against the echo are printed beside them. With --runs N (alternating: each run
measures all three), each ratio is the median of the runs'.
With --shaped-bare, the echo server is also measured sending messages of the platform's shape
and size (bench/rooms_bare.py, BARE_PAYLOAD=platform), at the target's rate: a diagnostic that
separates the clients' work on larger messages from the server's own.

With --compare NAME=DIR, each run also measures the platform as checked out in DIR (another
commit, e.g. `git worktree add /tmp/old <commit>`), at the same rate, after this one: a fast
path is weighed against the simple one in the same run (the "others" keys of the JSON).

    .venv/bin/python bench/rooms_fanout.py --sizes 50 200 --seconds 6 --window 512

The window is how many unacknowledged messages the sender allows: the platform and durable
bare acknowledge a message once it is committed, so with a small window the sender waits on
commits and the figure measures that wait, not what the server can deliver.
"""
import argparse
import json
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from rooms_common import (
    DATABASE, PASSWORD, ROOT, CpuMeter, Crowd, connect, percentile, prepare, scratch_database, session_cookie,
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
    deadline = time.time() + 120
    for _ in range(window):  # wait for the last acks, a lost one not for ever
        slots.acquire(timeout=max(0.0, deadline - time.time()))
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


def drain(crowd: Crowd, phase: str, expected: int, patience: float = 10.0,
          poll: float = 0.2) -> list[tuple]:
    """Collect until the ``expected`` deliveries of ``phase`` are in, or nothing at all has
    arrived for ``patience`` seconds: the phase is fully delivered.

    A server that acknowledges before delivering (the echo) builds a backlog at saturation;
    the next phase starts once it has drained, or it would be measured on a busy server. On a
    loaded machine a server can also pause for over a second: stopping at the first quiet
    second counted a quarter of a phase's deliveries once, and its p95 on that quarter. Waiting
    as well for a quiet second after the last delivery cost at least 2 s a phase (two sleeps
    of a second; 66 phases in ``make bench``'s fan-out) and measured nothing more.
    """
    samples, last = [], time.time()
    while len(samples) < expected:
        time.sleep(poll)
        arrived = crowd.collect()  # an earlier phase's backlog still arriving: not stalled
        samples += [sample for sample in arrived if sample[0] == phase]
        if arrived:
            last = time.time()
        elif time.time() - last >= patience:
            break
    return samples


def measure(server, sender_cookie, reader_cookie, room, size, seconds, window, rate=None) -> dict:
    """Run the phases against one server and return its figures.

    Without ``rate``, the target's rate is half this server's own saturation rate, and the
    second phase is that one.
    """
    url = server.url
    crowd = Crowd(url, reader_cookie, room, size)
    sender = connect(url, sender_cookie)
    sender.call("join", {"room": room}, namespace="/rooms")
    drain(crowd, "W", steady(sender, room, 50, 1, phase="W") * size)  # warm-up
    cpu = CpuMeter(server.process.pid)
    sent, started = saturate(sender, room, seconds, window)
    result = {"saturation_msgs_sent": sent, **cpu.read()}
    saturation = drain(crowd, "S", sent * size)
    duration = max(s[2] for s in saturation) - started
    delivered_rate = len(saturation) / size / duration
    own_rate = 0.5 * delivered_rate
    own = None
    if rate is not None:
        # At half this server's own saturation first: once overloaded, a backlog would linger.
        own_sent = steady(sender, room, own_rate, seconds, phase="G")
        own = [s[1] * 1000 for s in drain(crowd, "G", own_sent * size)]
    fixed_sent = steady(sender, room, rate or own_rate, seconds)
    fixed = [s[1] * 1000 for s in drain(crowd, "F", fixed_sent * size)]
    sender.disconnect()
    crowd.finish()
    result.update({
        "deliveries_per_s": round(len(saturation) / duration),
        "saturation_msgs_per_s": round(delivered_rate, 1),
        "fixed_rate_msgs_per_s": round(rate or own_rate, 1),
        "fixed_deliveries": f"{len(fixed)}/{fixed_sent * size}",
        "p50_ms": round(percentile(fixed, 0.50), 1),
        "p95_ms": round(percentile(fixed, 0.95), 1),
        "p99_ms": round(percentile(fixed, 0.99), 1),
        "own_half_rate_msgs_per_s": round(own_rate, 1),
        "own_half_rate_p50_p95_p99_ms": [round(percentile(own or fixed, q), 1)
                                         for q in (0.5, 0.95, 0.99)],
    })
    return result


def measure_bare(size: int, seconds: float, window: int, folder: Path, payload: str = "echo",
                 rate=None, database: str = "") -> dict:
    bare = start_bare(folder, payload, database)
    try:
        return measure(bare, None, None, 1, size, seconds, window, rate=rate)
    finally:
        bare.stop()


def measure_ours(database: str, setup: dict, size: int, seconds: float, window: int,
                 folder: Path, rate: float, checkout: Path = ROOT) -> dict:
    ours = start_ours(database, folder, checkout=checkout)
    try:
        sender_cookie = session_cookie(ours.url, setup["emails"][0], PASSWORD)
        reader_cookie = session_cookie(ours.url, setup["emails"][1], PASSWORD)
        return measure(ours, sender_cookie, reader_cookie, setup["room"], size, seconds, window,
                       rate=rate)
    finally:
        ours.stop()


def run_once(database: str, setup: dict, size: int, seconds: float, window: int, folder: Path,
             shaped: bool, others: dict[str, Path]) -> dict:
    """Measure durable bare, then the echo and the platform at durable's half-saturation rate,
    then any other checkouts of the platform at the same rate."""
    durable = measure_bare(size, seconds, window, folder, database=database)
    rate = durable["fixed_rate_msgs_per_s"]
    echo = measure_bare(size, seconds, window, folder, rate=rate)
    ours = measure_ours(database, setup, size, seconds, window, folder, rate)
    result = {"durable": durable, "echo": echo, "ours": ours,
              "vs_durable": ratios(ours, durable), "vs_echo": ratios(ours, echo),
              "durable_vs_echo": ratios(durable, echo)}
    for name, checkout in others.items():
        other = measure_ours(database, setup, size, seconds, window, folder, rate, checkout)
        result.setdefault("others", {})[name] = {
            **other, "vs_ours": ratios(other, ours), "vs_durable": ratios(other, durable)}
    if shaped:
        twin = measure_bare(size, seconds, window, folder, "platform", rate=rate)
        result.update(echo_platform_shaped=twin, vs_platform_shaped=ratios(ours, twin))
    return result


def run_size(database: str, setup: dict, size: int, seconds: float, window: int, folder: Path,
             shaped: bool, runs: int, others: dict[str, Path]) -> dict:
    """Run ``runs`` alternating runs; the ratios' medians beside them."""
    results = [run_once(database, setup, size, seconds, window, folder, shaped, others)
               for _ in range(runs)]
    median = {against: {name: statistics.median(r[against][name] for r in results)
                        for name in ("p95_ratio", "throughput_ratio")}
              for against in ("vs_durable", "vs_echo", "durable_vs_echo")}
    figures = {server: {name: statistics.median(r[server][name] for r in results)
                        for name in ("p95_ms", "deliveries_per_s")}
               for server in ("ours", "durable", "echo")}
    summary = {"size": size, "runs": results, "median": median, "median_figures": figures}
    if others:
        summary["others_median"] = {name: {
            against: {ratio: statistics.median(r["others"][name][against][ratio] for r in results)
                      for ratio in ("p95_ratio", "throughput_ratio")}
            for against in ("vs_ours", "vs_durable")} for name in others}
    return summary


def ratios(platform: dict, baseline: dict) -> dict:
    return {"p95_ratio": round(platform["p95_ms"] / baseline["p95_ms"], 2),
            "throughput_ratio": round(platform["deliveries_per_s"] / baseline["deliveries_per_s"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--window", type=int, default=512)
    parser.add_argument("--runs", type=int, default=1, help="alternating runs; ratios are medians")
    parser.add_argument("--shaped-bare", action="store_true",
                        help="also measure the echo server sending messages of the platform's shape")
    parser.add_argument("--compare", nargs="+", default=[], metavar="NAME=DIR",
                        help="also measure the platform as checked out in DIR (e.g. an older "
                             "commit through git worktree), in every run after this one")
    parser.add_argument("--json", action="store_true", help="print only one JSON document")
    args = parser.parse_args()
    others = {name: Path(folder).resolve()
              for name, folder in (item.split("=", 1) for item in args.compare)}
    sizes = []
    # One scratch database for every size: one migration (2.5 s) and one drop (up to 45 s on
    # a loaded machine, bench/README.md "Two-process cluster") fewer.
    with tempfile.TemporaryDirectory(prefix="lab-bench-") as tmp, \
            scratch_database(DATABASE) as database:
        setup = prepare(database, members=1, instance=Path(tmp))
        for size in args.sizes:
            result = run_size(database, setup, size, args.seconds, args.window, Path(tmp),
                              args.shaped_bare, args.runs, others)
            sizes.append(result)
            if not args.json:
                describe(result)
    if args.json:
        print(json.dumps({"sizes": sizes}))


def describe(result: dict) -> None:
    print(json.dumps(result), flush=True)
    durable, echo = result["median"]["vs_durable"], result["median"]["vs_echo"]
    print(f"room of {result['size']}, median of {len(result['runs'])} run(s): "
          f"p95 ours/durable = {durable['p95_ratio']} (target <= 1.0; ours/echo "
          f"{echo['p95_ratio']}), saturation throughput ours/durable = "
          f"{durable['throughput_ratio']} (target >= 1.5; ours/echo {echo['throughput_ratio']})",
          flush=True)
    for name, against in result.get("others_median", {}).items():
        print(f"  {name}: p95 {name}/ours = {against['vs_ours']['p95_ratio']}, saturation "
              f"throughput {name}/ours = {against['vs_ours']['throughput_ratio']} "
              f"({name}/durable: {against['vs_durable']['throughput_ratio']})", flush=True)
    for run in result["runs"]:
        if "vs_platform_shaped" in run:
            shaped = run["vs_platform_shaped"]
            print(f"  against the echo sending the platform's messages: p95 ratio "
                  f"{shaped['p95_ratio']}, throughput ratio {shaped['throughput_ratio']}",
                  flush=True)


if __name__ == "__main__":
    main()
