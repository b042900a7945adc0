"""Resident memory per idle authenticated connection, 1,000 connections: ours vs bare.

Each connection is a python-socketio client over WebSocket, signed in for the platform (the
namespace refuses anonymous ones), connected to /rooms and left idle. Target: at most 1.5x.
``--runs N`` measures bare then ours N times, each with new server processes; the figures are
the medians of the runs.

    .venv/bin/python bench/rooms_memory.py --connections 1000
"""
import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from rooms_common import (
    DATABASE, PASSWORD, Crowd, prepare, rss_kib, scratch_database, session_cookie, start_bare,
    start_ours,
)

SETTLE = 3


def measure(server, cookie, room, connections: int, processes: int) -> dict:
    """Return the server's memory before and with the idle connections, and per connection."""
    time.sleep(SETTLE)
    before = rss_kib(server.process.pid)
    crowd = Crowd(server.url, cookie, room, connections, processes=processes, join=False)
    time.sleep(SETTLE)
    after = rss_kib(server.process.pid)
    crowd.finish()
    return {"rss_before_kib": before, "rss_with_connections_kib": after,
            "kib_per_connection": round((after - before) / connections, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1,
                        help="alternating runs, each with new server processes; the ratio is their median")
    parser.add_argument("--json", action="store_true", help="print only the JSON figures")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory(prefix="lab-bench-") as tmp, \
            scratch_database(DATABASE) as database:
        folder = Path(tmp)
        setup = prepare(database, members=1, instance=folder)
        for _ in range(args.runs):  # new processes each time: a process keeps the memory it grew
            bare = start_bare(folder)
            try:
                baseline = measure(bare, None, 1, args.connections, args.processes)
            finally:
                bare.stop()
            ours = start_ours(database, folder)
            try:
                cookie = session_cookie(ours.url, setup["emails"][1], PASSWORD)
                platform = measure(ours, cookie, setup["room"], args.connections, args.processes)
            finally:
                ours.stop()
            runs.append({"bare": baseline, "ours": platform, "ratio": round(
                platform["kib_per_connection"] / baseline["kib_per_connection"], 2)})
    ratio = statistics.median(run["ratio"] for run in runs)
    median = {server: {"kib_per_connection": round(statistics.median(
        run[server]["kib_per_connection"] for run in runs), 2)} for server in ("bare", "ours")}
    print(json.dumps({"connections": args.connections, "runs": runs, **median, "ratio": ratio}))
    if not args.json:
        print(f"{args.connections} idle connections, median of {len(runs)} run(s): "
              f"{median['ours']['kib_per_connection']} KiB each "
              f"(bare {median['bare']['kib_per_connection']} KiB), ratio {ratio} (target <= 1.5)")


if __name__ == "__main__":
    main()
