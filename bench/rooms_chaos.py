"""Chaos: two processes on PostgreSQL and Redis, one killed with SIGKILL in mid-stream.

50 members of one room, half on each process; 5 of them send 10,000 messages in all, one at a
time each (a retry after a failure carries the same key). When about 40% are acknowledged, the
first process is killed; its clients reconnect to the second and rejoin after the last id
they hold. At the end every client's view is compared with the database.
Targets: 0 lost, 0 duplicated, 0 out of order among acknowledged messages; every client caught
up (holding every message committed before the kill) within 5 s of it.

    .venv/bin/python bench/rooms_chaos.py --messages 10000
"""
import argparse
import json
import multiprocessing as mp
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from rooms_common import (
    DATABASE, PASSWORD, REDIS, UNLIMITED, Server, prepare, scratch_database, server_env,
    session_cookie,
)
from rooms_member import member_process
from tests.smtp import free_port

MEMBERS, SENDERS, PROCESSES = 50, 5, 5


def start_pair(database: str, folder: Path) -> list[Server]:
    prefix = f"chaos-{uuid.uuid4().hex[:6]}:"
    return [Server(server_env(database, REDIS, free_port(), folder, prefix,
                              ROOMS_FLOOD_LIMIT=UNLIMITED), folder / f"chaos{n}.log").start()
            for n in range(2)]


def plan(setup: dict, servers: list[Server], total: int) -> list[list[dict]]:
    """Give each member a server, a cookie and, for the first five, a share of the messages."""
    members = []
    for n, email in enumerate(setup["emails"][:MEMBERS]):
        home, other = servers[n % 2], servers[(n + 1) % 2]
        members.append({"name": f"m{n}", "home": home.url, "fallback": other.url,
                        "cookie": session_cookie(home.url, email, PASSWORD),
                        "send": total // SENDERS if n < SENDERS else 0})
    return [members[n::PROCESSES] for n in range(PROCESSES)]


def stored(database: str, room: int) -> dict[int, str]:
    engine = create_engine(database)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT seq, client_key FROM room_messages "
                                       "WHERE room_id = :room ORDER BY seq"), {"room": room}).all()
    engine.dispose()
    return dict(rows)


def last_seq(database: str, room: int) -> int:
    engine = create_engine(database)
    with engine.connect() as connection:
        value = connection.execute(text("SELECT last_seq FROM rooms WHERE id = :room"),
                                   {"room": room}).scalar_one()
    engine.dispose()
    return value


def run(total: int, folder: Path) -> dict:
    context = mp.get_context("spawn")
    with scratch_database(DATABASE) as database:
        setup = prepare(database, members=MEMBERS - 1, instance=folder)
        servers = start_pair(database, folder)
        acked, control, results = context.Value("i", 0), context.Queue(), context.Queue()
        go, finish = context.Event(), context.Event()
        workers = [context.Process(target=member_process, daemon=True, args=(
            group, setup["room"], acked, go, finish, control, results))
            for group in plan(setup, servers, total)]
        try:
            for worker in workers:
                worker.start()
            for _ in workers:
                control.get(timeout=300)  # each process: its members connected and joined
            started = time.time()
            go.set()
            while acked.value < 0.4 * total:
                time.sleep(0.005)
            servers[0].kill()
            killed_at = time.time()
            committed_at_kill = last_seq(database, setup["room"])
            while acked.value < total and time.time() - started < 600:
                time.sleep(0.1)
            sending = time.time() - started
            time.sleep(3)  # the last broadcasts
            finish.set()
            reports = [results.get(timeout=300) for _ in workers]
            truth = stored(database, setup["room"])
        finally:
            for server in servers:
                server.stop()
    return verdict(reports, truth, killed_at, committed_at_kill, total, sending)


def verdict(reports, truth, killed_at, committed_at_kill, total, duration) -> dict:
    """Compare each client's final view and each sender's acks with the database."""
    acks = {key: seq for report in reports for key, seq in report["acks"].items()}
    lost = sum(1 for key in acks if key not in truth.values())
    duplicated = len(truth) - len(set(truth.values()))
    by_key = {key: seq for seq, key in truth.items()}
    wrong_id = sum(1 for key, seq in acks.items() if by_key.get(key) != seq)
    out_of_order = sum(report["out_of_order"] for report in reports)
    views_missing = views_extra = 0
    catch_up = []
    for report in reports:
        for view in report["views"]:
            seen = {int(seq): key for seq, key in view["messages"].items()}
            views_missing += sum(1 for seq in truth if seq not in seen)
            views_extra += sum(1 for seq, key in seen.items() if truth.get(seq) != key)
            # Caught up: live again (rejoined, if its process was the one killed) and holding
            # every message committed before the kill.
            caught = next((max(t, killed_at, view["rejoined_at"] or 0) for t, contiguous
                           in view["progress"] if contiguous >= committed_at_kill), None)
            catch_up.append(None if caught is None else caught - killed_at)
    return {
        "messages_acknowledged": len(acks), "messages_stored": len(truth), "target": total,
        "lost": lost, "duplicated": duplicated + wrong_id, "out_of_order": out_of_order,
        "client_views_missing": views_missing, "client_views_wrong": views_extra,
        "duplicate_deliveries_dropped": sum(r["dropped_duplicates"] for r in reports),
        "committed_at_kill": committed_at_kill,
        "catch_up_max_s": None if None in catch_up else round(max(catch_up), 2),
        "catch_up_p50_s": None if None in catch_up else round(sorted(catch_up)[len(catch_up) // 2], 2),
        "reconnected_clients": sum(r["reconnected"] for r in reports),
        "duration_s": round(duration, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print only the JSON figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lab-chaos-") as tmp:
        result = run(args.messages, Path(tmp))
    ok = (result["lost"] == result["duplicated"] == result["out_of_order"] == 0
          and result["client_views_missing"] == result["client_views_wrong"] == 0
          and result["catch_up_max_s"] is not None and result["catch_up_max_s"] <= 5)
    print(json.dumps({**result, "passed": ok}))
    if not args.json:
        print("PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
