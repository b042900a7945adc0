"""What the rooms benchmarks share: servers to start, client processes, figures."""
import asyncio
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import engineio  # noqa: E402
import socketio  # noqa: E402

from tests.factories import PASSWORD  # noqa: E402,F401  (re-exported for the scripts)
from tests.rooms.cluster import (  # noqa: E402,F401
    Server, prepare, scratch_database, server_env, session_cookie,
)
from tests.smtp import free_port  # noqa: E402

BARE = ROOT / "bench" / "rooms_bare.py"
DATABASE = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
    "TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
UNLIMITED = 10**9

_trigger = engineio.Client._trigger_event
_async_trigger = engineio.AsyncClient._trigger_event


def _inline_messages(self, event, *args, **kwargs):
    # The sync client starts a thread for every message it receives; at thousands of messages
    # a second that exhausts the machine and measures the client, not the server.
    if event == "message":
        kwargs["run_async"] = False
    return _trigger(self, event, *args, **kwargs)


async def _inline_async_messages(self, event, *args, **kwargs):
    # The same for the asyncio client, which would start a task for every message.
    if event == "message":
        kwargs["run_async"] = False
    return await _async_trigger(self, event, *args, **kwargs)


engineio.Client._trigger_event = _inline_messages
engineio.AsyncClient._trigger_event = _inline_async_messages


def start_ours(database: str, folder: Path, queue: str = "", checkout: Path = ROOT,
               **extra) -> Server:
    """Start deploy/serve.py (gevent) with the flood limit lifted for the load generator;
    ``checkout`` is the copy of the platform to serve (this one by default)."""
    env = server_env(database, queue, free_port(), folder, f"bench-{os.getpid()}:",
                     ROOMS_FLOOD_LIMIT=UNLIMITED, **extra)
    if not queue:
        env.update(SOCKETIO_MESSAGE_QUEUE="", RATELIMIT_STORAGE_URI="memory://")
    return Server(env, folder / f"ours-{env['PORT']}.log",
                  script=checkout / "deploy" / "serve.py").start()


def start_bare(folder: Path, payload: str = "echo", database: str = "") -> Server:
    """Start bench/rooms_bare.py; ``payload="platform"`` makes it send the platform's messages,
    ``database`` (PostgreSQL) makes it store each message before broadcasting it."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "PYTHONUNBUFFERED": "1", "BARE_PAYLOAD": payload,
           "BARE_DATABASE_URL": database}
    return Server(env, folder / f"bare-{port}.log", script=BARE).start()


def rss_kib(pid: int) -> int:
    """Resident memory of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux): unlike its wall time, the machine's
    load does not change it."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


class CpuMeter:
    """CPU time used by a process, and the share of the machine left idle, over an interval."""

    def __init__(self, pid: int):
        self.pid = pid
        self.start()

    def _readings(self) -> tuple[float, float, float]:
        ticks = os.sysconf("SC_CLK_TCK")
        cpu = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return time.time(), cpu_seconds(self.pid), (cpu[3] + cpu[4]) / ticks / os.cpu_count()  # idle + iowait

    def start(self) -> None:
        self._began = self._readings()

    def read(self) -> dict:
        """Cores the process used, and the idle share of the machine, since ``start``."""
        (t0, p0, i0), (t1, p1, i1) = self._began, self._readings()
        return {"server_cores": round((p1 - p0) / (t1 - t0), 2),
                "machine_idle": round((i1 - i0) / (t1 - t0), 2)}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _connection(cookie: str | None) -> dict:
    """How every client connects: to /rooms over WebSocket, signed in if given a cookie."""
    return {"headers": {"Cookie": f"session={cookie}"} if cookie else {},
            "namespaces": ["/rooms"], "transports": ["websocket"], "wait_timeout": 20}


def connect(url: str, cookie: str | None, on_message=None) -> socketio.Client:
    # websocket-client checks every frame's UTF-8 in pure Python: for the sender, whose acks
    # carry the stored message, that was a quarter of its process's time, on the machine the
    # server it measures shares.
    client = socketio.Client(reconnection=False,
                             websocket_extra_options={"skip_utf8_validation": True})
    if on_message:
        client.on("message_posted", on_message, namespace="/rooms")
    client.connect(url, **_connection(cookie))
    return client


def _receiver(url, cookie, room, count, join, ready, commands, out):
    asyncio.run(_receive(url, cookie, room, count, join, ready, commands, out))


async def _receive(url, cookie, room, count, join, ready, commands, out):
    """Hold ``count`` connections (joined to the room, or idle) and hand over what they receive.

    asyncio clients: one event loop serves them all, where the sync client needs two threads
    per connection and spends more of the machine than the server it measures.
    """
    samples = []

    def on_message(data):
        now = time.time()
        phase, sent = (data.get("source") or data.get("body")).split("|")[:2]
        samples.append((phase, now - float(sent), now))

    async def open_one():
        client = socketio.AsyncClient(reconnection=False)
        client.on("message_posted", on_message, namespace="/rooms")
        await client.connect(url, **_connection(cookie))
        if join:
            await client.call("join", {"room": room}, namespace="/rooms", timeout=30)
        return client

    clients = []
    for start in range(0, count, 25):  # a few at a time, as people arrive
        clients += await asyncio.gather(*(open_one() for _ in range(min(25, count - start))))
    ready.put(count)
    loop = asyncio.get_running_loop()
    while True:
        command = await loop.run_in_executor(None, commands.get)
        batch, samples[:] = list(samples), []
        out.put(batch)
        if command == "stop":
            break
    await asyncio.gather(*(client.disconnect() for client in clients))


class Crowd:
    """Client connections spread over several processes (the GIL would make one the bottleneck)."""

    def __init__(self, url, cookie, room, total, processes=2, join=True):
        context = mp.get_context("spawn")
        self.ready, self.out = context.Queue(), context.Queue()
        shares = [total // processes + (1 if n < total % processes else 0) for n in range(processes)]
        self.commands = [context.Queue() for share in shares if share]
        self.workers = [context.Process(target=_receiver, daemon=True, args=(
            url, cookie, room, share, join, self.ready, commands, self.out))
            for share, commands in zip([s for s in shares if s], self.commands)]
        for worker in self.workers:
            worker.start()
        connected = sum(self.ready.get(timeout=300) for _ in self.workers)
        assert connected == total

    def _gather(self, command: str) -> list[tuple]:
        for commands in self.commands:
            commands.put(command)
        samples = []
        for _ in self.workers:
            samples.extend(self.out.get(timeout=120))
        return samples

    def collect(self) -> list[tuple]:
        """Return the (phase, latency, received_at) samples received since the last call."""
        return self._gather("collect")

    def finish(self) -> list[tuple]:
        """Return the last samples and disconnect everyone."""
        samples = self._gather("stop")
        for worker in self.workers:
            worker.join(timeout=30)
        return samples
