"""Benchmark GET /pact (today and ``?as_of=``) against registers of different lengths.

    .venv/bin/python bench/pact_page.py --entries 1000,100000 --database sqlite --requests 50
    .venv/bin/python bench/pact_page.py --entries 1000,100000 --database postgresql --requests 50

For each size the register is built with ``pact_verify.build_register`` (honest hashes, a
signed checkpoint), the real server is started (``python wsgi.py``, PORT on a free loopback
port, the same environment), and after warm-up requests the sequential requests are timed with
urllib. The page reads each of the 21 regions' latest entry, so its latency should not depend
on the number of entries. Every response is checked: status 200, 21 region rows, and the
latest entry number the register must show.
"""
from __future__ import annotations

import argparse
import math
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pact_verify import ROOT, Register, build_register, describe_build, log  # noqa: E402

WARM_UP = 5
READY_TIMEOUT = 60
# urllib must not send loopback requests through a proxy set in the environment.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[float, int, str]:
    started = time.perf_counter()
    with OPENER.open(url, timeout=30) as response:
        body = response.read()
        status = response.status
    return time.perf_counter() - started, status, body.decode("utf-8")


class Server:
    """``python wsgi.py`` on a loopback port; always stopped by ``stop`` (or the with block)."""

    def __init__(self, env: dict, workdir: Path, label: str, args: tuple = ("wsgi.py",)):
        self.args = args  # what the interpreter runs: wsgi.py unless a benchmark needs a wrapper
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"server_{label}.log"
        self.env = {**env, "PORT": str(self.port), "HOST": "127.0.0.1"}
        self.process = None
        self.log_file = None

    def __enter__(self) -> "Server":
        self.log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen([sys.executable, *self.args], cwd=ROOT, env=self.env,
                                        stdout=self.log_file, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        try:
            self._wait_ready()
        except BaseException:  # __exit__ is not called when __enter__ fails
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                fetch(self.base + "/pact/checkpoint")
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"server not ready after {READY_TIMEOUT} s:\n{self.log_tail()}")
                time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        if self.log_file is not None and not self.log_file.closed:
            self.log_file.close()

    def log_tail(self) -> str:
        self.log_file.flush()
        return self.log_path.read_text("utf-8", errors="replace")[-3000:]


def expected_seq(register: Register, as_of: str | None) -> int:
    """The highest entry number the page must show (0: none)."""
    if as_of is None:
        return register.entries
    from lab.core.timeutil import rome_day_bounds

    end = rome_day_bounds(date.fromisoformat(as_of))[1]
    return sum(1 for moment in register.signed_at if moment < end)  # signed_at increases


def check_page(body: str, seq: int, path: str) -> None:
    rows = body.count('<th scope="row">')
    if rows != 21:
        raise SystemExit(f"GET {path}: {rows} region rows instead of 21")
    if seq and f">n. {seq}</a>" not in body:
        raise SystemExit(f"GET {path}: the latest entry n. {seq} is not shown")


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure(server: Server, register: Register, as_of: str | None, requests: int) -> dict:
    path = "/pact" + (f"?as_of={as_of}" if as_of else "")
    seq = expected_seq(register, as_of)
    walls = []
    for index in range(WARM_UP + requests):
        wall, status, body = fetch(server.base + path)
        if status != 200:
            raise SystemExit(f"GET {path}: status {status}")
        check_page(body, seq, path)
        if index >= WARM_UP:
            walls.append(wall * 1000)
    return {"entries": register.entries, "endpoint": f"GET {path}", "shows": seq,
            "median": statistics.median(walls), "p95": percentile(walls, 0.95),
            "min": min(walls), "max": max(walls), "bytes": len(body.encode("utf-8"))}


def print_table(database: str, results: list[dict], requests: int) -> None:
    log(f"\nGET /pact latency, {database}, {requests} sequential requests after {WARM_UP} "
        "warm-up (loopback, python wsgi.py):")
    header = f"{'entries':>8}  {'endpoint':<32} {'median ms':>9} {'p95 ms':>8} {'min ms':>7} {'max ms':>7}  shows n."
    log(header)
    log("-" * len(header))
    for r in results:
        log(f"{r['entries']:>8}  {r['endpoint']:<32} {r['median']:>9.1f} {r['p95']:>8.1f} "
            f"{r['min']:>7.1f} {r['max']:>7.1f}  {r['shows']}")
    sizes = sorted({r["entries"] for r in results})
    if len(sizes) > 1:
        for endpoint in dict.fromkeys(r["endpoint"] for r in results):
            small, large = (next(r for r in results if r["entries"] == s and r["endpoint"] == endpoint)
                            for s in (sizes[0], sizes[-1]))
            log(f"{endpoint}: median x{large['median'] / small['median']:.2f} from {sizes[0]} "
                f"to {sizes[-1]} entries")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", default="1000,100000",
                        help="comma-separated register sizes (default 1000,100000)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--as-of", default="2019-06-30",
                        help="comma-separated days for /pact?as_of= (default 2019-06-30)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.entries.split(",") if size.strip()]
    days = [None, *(day.strip() for day in args.as_of.split(",") if day.strip())]

    workdir = Path(tempfile.mkdtemp(prefix="lab_bench_page_"))
    results = []
    try:
        for size in sizes:
            log(f"building {size} entries on {args.database} in {workdir} ...")
            register = build_register(size, args.database, workdir)
            register.close()  # the server has its own connections
            log(describe_build(register))
            with Server(register.env, workdir, f"{args.database}_{size}") as server:
                log(f"  server on {server.base} (pid {server.process.pid})")
                for day in days:
                    result = measure(server, register, day, args.requests)
                    log(f"  {result['endpoint']}: median {result['median']:.1f} ms, "
                        f"p95 {result['p95']:.1f} ms ({result['bytes']} bytes)")
                    results.append(result)
        print_table(args.database, results, args.requests)
        return 0
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
