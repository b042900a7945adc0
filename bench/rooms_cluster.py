"""Two-process cluster: p95 from send to receipt, two processes on Redis against one process.

One room of N members on a scratch PostgreSQL database; one sender sends at a fixed rate for a
few seconds and every member times each message from its sending to its receipt.
  - one process: deploy/serve.py alone (one gevent process, no message queue), as a
    single-process deployment runs;
  - the cluster: two deploy/serve.py processes sharing the database and a Redis message queue
    (as deploy/cluster.sh runs them behind nginx), the members split half and half across
    them, the sender on the first: half the deliveries cross Redis.
The clients are the same in both: two processes of asyncio clients (bench/rooms_common.py:
Crowd), each holding half the members. Target: the cluster's p95 at most 2x one process's.
``--runs N`` alternates one process and the cluster N times; the ratio is the median of the
runs'. A run whose deliveries did not all arrive is reported, not counted as a figure.

    .venv/bin/python bench/rooms_cluster.py --size 50 --rate 10 --seconds 5 --runs 3
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rooms_common import (
    DATABASE, PASSWORD, REDIS, Crowd, connect, percentile, prepare, scratch_database,
    session_cookie, start_ours,
)
from rooms_fanout import drain, steady

TARGET = 2.0


class Deployment:
    """Servers with the room's members split across them and a sender on the first, kept for
    every run: a message sent to one deployment reaches no other (they share no queue)."""

    def __init__(self, servers: list, setup: dict, size: int):
        first, last = servers[0], servers[-1]
        self.servers, self.room = servers, setup["room"]
        reader_cookie = session_cookie(last.url, setup["emails"][1], PASSWORD)
        self.crowds = [Crowd(first.url, reader_cookie, self.room, size // 2, processes=1),
                       Crowd(last.url, reader_cookie, self.room, size - size // 2, processes=1)]
        self.sender = connect(first.url, session_cookie(first.url, setup["emails"][0], PASSWORD))
        self.sender.call("join", {"room": self.room}, namespace="/rooms")

    def collect(self) -> list[tuple]:
        """What every member received since the last call (bench/rooms_fanout.py: drain)."""
        return [sample for crowd in self.crowds for sample in crowd.collect()]

    def measure(self, size: int, rate: float, seconds: float) -> dict:
        """Latencies from send to receipt at ``rate`` messages a second."""
        drain(self, "W", steady(self.sender, self.room, rate, 1, phase="W") * size)  # warm-up
        sent = steady(self.sender, self.room, rate, seconds)
        latencies = [s[1] * 1000 for s in drain(self, "F", sent * size)]
        return {"deliveries": f"{len(latencies)}/{sent * size}",
                "complete": len(latencies) == sent * size,
                "p50_ms": round(percentile(latencies, 0.5), 1),
                "p95_ms": round(percentile(latencies, 0.95), 1),
                "p99_ms": round(percentile(latencies, 0.99), 1)}

    def close(self) -> None:
        self.sender.disconnect()
        for crowd in self.crowds:
            crowd.finish()


def measure(args, folder: Path) -> list[dict]:
    """Start one process and a pair, then measure each in turn ``args.runs`` times."""
    runs, servers, deployments = [], [], []
    with scratch_database(DATABASE) as database:
        setup = prepare(database, members=1, instance=folder)
        try:
            log("database prepared")
            servers += [start_ours(database, folder)]
            deployments.append(Deployment(servers[:1], setup, args.size))
            log("one process started, members connected")
            servers += [start_ours(database, folder, queue=REDIS) for _ in range(2)]
            deployments.append(Deployment(servers[1:], setup, args.size))
            log("two processes started, members connected")
            for n in range(args.runs):
                load = os.getloadavg()[0]
                alone, cluster = (d.measure(args.size, args.rate, args.seconds) for d in deployments)
                runs.append({"load_average": round(load, 2), "one_process": alone,
                             "cluster": cluster,
                             "p95_ratio": round(cluster["p95_ms"] / alone["p95_ms"], 2)})
                log(f"run {n + 1}: {json.dumps(runs[-1])}")
        finally:
            for deployment in deployments:
                deployment.close()
            log("members disconnected")
            for server in servers:
                server.stop()
            log("servers stopped")
    return runs


STARTED = time.time()


def log(text: str) -> None:
    print(f"[{time.time() - STARTED:.0f} s] {text}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50, help="members of the room")
    parser.add_argument("--rate", type=float, default=10, help="messages a second")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--runs", type=int, default=3, help="alternating runs; the ratio is their median")
    parser.add_argument("--json", action="store_true", help="print only one JSON document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lab-cluster-") as tmp:
        runs = measure(args, Path(tmp))
    log("scratch database dropped")
    complete = [r for r in runs if r["one_process"]["complete"] and r["cluster"]["complete"]]
    ratio = round(statistics.median(r["p95_ratio"] for r in complete), 2) if complete else None

    def median(server: str) -> float | None:
        return round(statistics.median(r[server]["p95_ms"] for r in complete), 1) if complete else None

    label = (f"room of {args.size} at {args.rate:g} msg/s, members split across both, "
             f"median of {len(complete)} complete run(s) of {len(runs)}")
    row = {"measure": f"Two-process cluster (PostgreSQL + Redis): p95 send→receipt vs one process ({label})",
           "ours": f"{median('cluster')} ms", "baseline": f"{median('one_process')} ms",
           "ratio": f"{ratio}×", "target": f"≤ {TARGET:g}×",
           "met": "invalid: deliveries missing in every run" if ratio is None
           else "met" if ratio <= TARGET else "NOT met"}
    print(json.dumps({"runs": runs, "p95_ratio": ratio, "rows": [row]}))
    if not args.json:
        print(f"{row['measure']}: {row['ours']} against {row['baseline']}, {row['ratio']} "
              f"(target {row['target']}): {row['met']}")


if __name__ == "__main__":
    main()
