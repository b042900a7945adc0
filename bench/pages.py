"""Benchmark the platform's pages against a bare Flask page, both under deploy/serve.py's server.

    .venv/bin/python bench/pages.py                       # every page, 3 alternating runs of 5 s
    .venv/bin/python bench/pages.py --pages /pact,/groups --duration 3
    .venv/bin/python bench/pages.py --fast-paths
    .venv/bin/python bench/pages.py --json --runs 3          # one JSON line (bench/report.py)
    .venv/bin/python bench/pages.py --profile /tmp/pact.prof --page /pact --requests 200

The platform runs as in production (deploy/serve.py: gevent, pywsgi, TCP_NODELAY) on SQLite
with the demo data (``flask lab seed-demo``). The bare page is one Flask route answering a small
HTML page from the same listener and the same WSGIServer (``PAGES_SERVE_BARE=1 PORT=… python
bench/pages.py``).
For each page wrk (``-t1 -c8``) measures ours then the bare page, ``--runs`` times, and the
table gives the median of each and the median of the ratios, and beside them the CPU time each
server's process spent per request (from /proc), which the machine's load does not change. Signed-in pages send a session
cookie in wrk's headers. Every response must be a 200: a run with another status fails.

``--fast-paths`` skips wrk: it times pages in process (CPU time per request) with each of the
parts kept per process (lab/pact/fragments.py, lab/core/layout.py, the menu, the QR codes, a
room's message items, the audit log's labels, rows and regions, the moments' text) emptied
before every request, or kept, alternating (the figures in the comments beside them); signed in
for signed-in pages; ``--pages`` picks some of the pages it checks.
The whole pages kept for visitors (lab/core/pagecache.py) are emptied before every request but
in the setups named "page kept".

``--profile PATH`` skips wrk: it builds the same data, serves ``--requests`` requests to one
page in process (Flask's test client, signed in as wrk's runs are for a signed-in page) under
cProfile, writes the stats to PATH and prints the top costs. ``--sample`` does the same with a
CPU-time sampler instead (every 0.5 ms of the process's CPU, ``ITIMER_PROF``), which does not
slow what it measures, and prints the platform's own functions by CPU ms per request.
"""
from __future__ import annotations

import os
import sys

if os.environ.get("PAGES_SERVE_BARE"):
    from gevent import monkey

    monkey.patch_all()  # as deploy/serve.py does, before any socket is opened

import argparse  # noqa: E402
import cProfile  # noqa: E402
import json  # noqa: E402
import pstats  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PUBLIC = ["/", "/regions", "/regions/piemonte", "/groups", "{group}", "/pact",
          "/pact?as_of=2020-06-30", "/pact/versions/1", "/pact/ledger/1", "/library", "/events"]
SIGNED_IN = ["/rooms", "{room}", "/admin/audit"]
TARGETS = {"public": 0.1, "signed in": 0.05}
BARE_PAGE = """<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Bare</title>
</head><body><h1>Laboratorio</h1><p>Una pagina Flask senza nulla.</p></body></html>"""


def serve_bare() -> None:
    """Serve BARE_PAGE at every path with deploy/serve.py's listener and server."""
    from flask import Flask
    from gevent import pywsgi

    from deploy.serve import listener

    app = Flask("bare")
    app.add_url_rule("/", "page", lambda: BARE_PAGE)
    app.add_url_rule("/<path:path>", "any", lambda path: BARE_PAGE)
    pywsgi.WSGIServer(listener("127.0.0.1", int(os.environ["PORT"])), app, log=None).serve_forever()


# The room page shows a full page of messages (rooms.services.PAGE_SIZE is 50): a third plain
# text, the others with Markdown and addresses, as a discussion has them.
ROOM_MESSAGES = [
    "Buongiorno a tutti, ci vediamo giovedì per il confronto sulle politiche di prossimità.",
    ("Ho caricato la **scheda** del progetto: la trovate su https://example.org/schede/12 con i "
     "dati del *2023*."),
    ("Tre punti per la prossima riunione:\n\n1. il calendario dei forum\n2. le schede delle "
     "Regioni\n3. il glossario comune"),
    "Grazie! Per la Toscana interviene la collega delle botteghe della salute.",
    ("Vedi il [documento di sintesi](https://example.org/sintesi) e in particolare la `tabella "
     "B`:\n\n> le case di comunità aperte nel 2024"),
]


def add_room_messages(count: int = 60) -> None:
    """Store ``count`` messages in the Laboratory's room, written by the demo delegates in turn
    (run with the benchmark's environment: ``PAGES_ADD_MESSAGES=1``)."""
    from sqlalchemy import select

    from lab import create_app
    from lab.accounts.models import Role, RoleAssignment, User
    from lab.core.markup import render_markdown
    from lab.extensions import db
    from lab.rooms.models import Message
    from lab.rooms.services import laboratory_room

    with create_app().app_context():
        room = laboratory_room()
        authors = list(db.session.scalars(select(User).join(User.role_assignments).where(
            RoleAssignment.role == Role.DELEGATE.value).order_by(User.id)))
        for n in range(count):
            author, body = authors[n % len(authors)], ROOM_MESSAGES[n % len(ROOM_MESSAGES)]
            room.last_seq += 1
            db.session.add(Message(room_id=room.id, seq=room.last_seq, author_id=author.id,
                                   author_region_id=author.region_id, client_key=f"bench-{n}",
                                   body_source=body, body_html=render_markdown(body)))
        db.session.commit()


def prepare(folder: Path) -> dict:
    """Migrate an SQLite database in ``folder``, load the demo data, return the environment
    (with the demo accounts' password, as seed-demo prints it)."""
    from tests.rooms.cluster import server_env
    from tests.smtp import free_port

    env = server_env(f"sqlite:///{folder / 'bench.sqlite'}", "", free_port(), folder, "pages:",
                     SOCKETIO_MESSAGE_QUEUE="", RATELIMIT_STORAGE_URI="memory://",
                     RATELIMIT_ENABLED="false")
    for command in (["db", "upgrade"], ["pact", "keygen"], ["lab", "seed-demo"]):
        out = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *command], cwd=ROOT,
                             env=env, check=True, capture_output=True, text=True).stdout
    env["DEMO_PASSWORD"] = re.search(r"password: (\S+)", out).group(1)
    subprocess.run([sys.executable, __file__], cwd=ROOT, env={**env, "PAGES_ADD_MESSAGES": "1"},
                   check=True)
    return env


def wrk(url: str, duration: int, cookie: str | None, server=None) -> tuple[float, float]:
    """Requests per second that wrk -t1 -c8 gets from ``url``, and the CPU time ``server``'s
    process spent per request (ms); refuse any status but 200."""
    headers = ["-H", f"Cookie: session={cookie}"] if cookie else []
    command = ["wrk", "-t1", "-c8", f"-d{duration}s", "--timeout", "10s", *headers, url]
    cpu_before = cpu_seconds(server)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(server) - cpu_before
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"{url}:\n{out}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), cpu / max(requests, 1) * 1000


def cpu_seconds(server) -> float:
    """User and system CPU time of a server's process so far (Linux), 0 without a server.

    On a machine shared with other work, requests per second measure the scheduler as much as
    the code: the CPU time each request costs does not depend on the load."""
    from rooms_common import cpu_seconds as process_cpu_seconds

    return process_cpu_seconds(server.process.pid) if server else 0.0


def measure(args, folder: Path) -> list[dict]:
    """Start both servers, sign in, and measure every page ``args.runs`` times, alternating."""
    import requests

    from tests.rooms.cluster import Server, session_cookie
    from tests.smtp import free_port

    env = prepare(folder)
    ours = Server(env, folder / "ours.log").start()
    bare_env = {**os.environ, "PORT": str(free_port()), "PAGES_SERVE_BARE": "1"}
    bare = Server(bare_env, folder / "bare.log", script=Path(__file__).resolve()).start()
    try:
        admin = session_cookie(ours.url, "admin@laboratorio.example", env["DEMO_PASSWORD"])
        delegate = session_cookie(ours.url, "delegato.piemonte@laboratorio.example",
                                  env["DEMO_PASSWORD"])
        def get(path, cookie=None):
            return requests.get(ours.url + path, cookies={"session": cookie} if cookie else None).text

        rows = []
        for page in args.pages:
            path = looked_up(page, get, delegate)
            kind = "signed in" if page in SIGNED_IN else "public"
            cookie = None if kind == "public" else admin if path.startswith("/admin") else delegate
            for _ in range(3):  # warm-up: templates compiled, caches filled (untimed: on a
                # loaded machine a first request can take longer than a one-second wrk run)
                cookies = {"session": cookie} if cookie else None
                requests.get(ours.url + path, cookies=cookies, timeout=60).raise_for_status()
            runs = []
            for _ in range(args.runs):
                runs.append((*wrk(ours.url + path, args.duration, cookie, ours),
                             *wrk(bare.url + path, args.duration, None, bare)))
            rows.append(row(path, kind, runs))
            print(format_row(rows[-1]), file=args.out, flush=True)
        return rows
    finally:
        ours.stop()
        bare.stop()


def looked_up(page: str, get, delegate) -> str:
    """The path of ``page``: for ``{group}`` the first group listed, for ``{room}`` the
    delegate's first room (``get(path, cookie)`` returns a page's text)."""
    if page == "{group}":
        return re.search(r'href="(/groups/[a-z0-9-]+)"', get("/groups")).group(1)
    if page == "{room}":
        return re.search(r'href="(/rooms/\d+)"', get("/rooms", delegate)).group(1)
    return page


def row(path: str, kind: str, runs: list[tuple[float, float, float, float]]) -> dict:
    """One page's figures from runs of (ours req/s, ours CPU ms, bare req/s, bare CPU ms);
    ``measure`` and ``baseline`` are the names bench/report.py shows."""
    ratio = round(statistics.median(r[0] / r[2] for r in runs), 4)
    ours, ours_cpu, bare, bare_cpu = (statistics.median(r[i] for r in runs) for i in range(4))
    return {"measure": f"Page {path} ({kind}), req/s against a bare Flask page "
                       f"(median of {len(runs)} alternating runs)",
            "page": path, "kind": kind, "ours": round(ours, 1), "bare": round(bare, 1),
            "baseline": round(bare, 1), "ratio": ratio, "target": TARGETS[kind],
            "met": ratio >= TARGETS[kind], "ours_cpu_ms": round(ours_cpu, 3),
            "bare_cpu_ms": round(bare_cpu, 3), "cpu_ratio": round(bare_cpu / ours_cpu, 4)}


def format_row(r: dict) -> str:
    return (f"| `{r['page']}` ({r['kind']}) | {r['ours']:.0f} | {r['bare']:.0f} | {r['ratio']:.3f}"
            f" | ≥ {r['target']} | {'yes' if r['met'] else 'no'} | {r['ours_cpu_ms']:.2f} / "
            f"{r['bare_cpu_ms']:.2f}, {r['cpu_ratio']:.3f} |")


def profile(args, folder: Path) -> None:
    """Serve ``args.requests`` requests to ``args.page`` in process under cProfile, or under the
    CPU sampler (``--sample``); signed in as wrk's runs are for a signed-in page."""
    client, page = profiled_client(folder, args.page)
    for _ in range(3):
        assert client.get(page).status_code == 200, page
    if args.sample:
        return sample(client, page, args)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        client.get(page)
    profiler.disable()
    profiler.dump_stats(args.profile)
    stats = pstats.Stats(args.profile)
    total = stats.total_tt
    print(f"{args.requests} requests to {page}: {total / args.requests * 1000:.2f} ms each "
          f"under cProfile; stats in {args.profile}")
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


def sample(client, page: str, args, interval: float = 0.0005) -> None:
    """Print the platform's functions (and the templates) by CPU ms per request, cumulative."""
    seen, samples = Counter(), [0]

    def on_tick(_signum, frame):
        samples[0] += 1
        names = set()
        while frame is not None:
            code = frame.f_code
            if str(ROOT / "lab") in code.co_filename or code.co_filename.endswith(".html"):
                names.add(f"{Path(code.co_filename).name}:{code.co_name}")
            frame = frame.f_back
        seen.update(names)

    signal.signal(signal.SIGPROF, on_tick)
    started = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, interval, interval)
    for _ in range(args.requests):
        client.get(page)
    signal.setitimer(signal.ITIMER_PROF, 0, 0)
    cpu = (time.process_time() - started) / args.requests * 1000
    per_sample = cpu / max(samples[0], 1)  # the ticks' share of the CPU time, per request
    print(f"{args.requests} requests to {page}: {cpu:.2f} ms of CPU each, "
          f"{samples[0]} samples; cumulative ms per request:")
    for name, count in seen.most_common(args.top):
        print(f"{count * per_sample:8.2f}  {name}")


def profiled_client(folder: Path, page: str):
    """A test client and the page's path, signed in as wrk's runs are for a signed-in page."""
    return client_for(in_process(folder), page)


def client_for(client, page: str):
    """``client``, or for a signed-in page a new client of the same app signed in as wrk's
    runs are (the demo delegate, or the admin for the audit log); and the page's path."""
    if page in SIGNED_IN or page.startswith(("/rooms", "/admin")):
        client = client.application.test_client()
        email = "admin" if page.startswith("/admin") else "delegato.piemonte"
        form = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        assert client.post("/sign-in", data={
            "email": f"{email}@laboratorio.example", "password": os.environ["DEMO_PASSWORD"],
            "csrf_token": token}).status_code == 302
    return client, looked_up(page, lambda path, cookie: client.get(path).get_data(as_text=True),
                             None)


def in_process(folder: Path):
    """A test client of the app on the demo data built in ``folder``."""
    os.environ.update(prepare(folder))
    from lab import create_app

    return create_app().test_client()


def fast_paths(args, folder: Path) -> None:
    """Time pages in process with each kept part emptied before every request, or kept,
    alternating; CPU time per request, so that the machine's load does not count."""
    import time

    anonymous = in_process(folder)
    from lab.accounts.audit import _labels
    from lab.accounts.audit_routes import rendered_region_options, rendered_row
    from lab.core.layout import rendered_part
    from lab.core.navigation import rendered_menu
    from lab.core.pagecache import forget_kept_pages
    from lab.core.timeutil import _formatted_moment
    from lab.pact import exports, fragments
    from lab.rooms.serialize import rendered_item

    class KeptPages:  # emptied before every request but in "page kept", so the parts beneath count
        cache_clear = staticmethod(forget_kept_pages)

    text = [fragments.text_html, fragments.rendered_text_in_force]
    standings = [fragments.rendered_standings, fragments.standings_today]
    checks = [  # page, {setup: the caches emptied before each request}
        ("/pact", {"page emptied": [KeptPages], "page kept": []}),
        ("/events", {"page emptied": [KeptPages], "page kept": []}),
        ("/pact", {"neither kept": text + standings, "text kept": standings,
                   "map and table kept": text, "both kept": []}),
        ("/pact?as_of=2020-06-30", {"neither kept": text + standings, "both kept": []}),
        ("/pact/versions/1", {"text emptied": text[:1], "text kept": []}),
        ("/pact/ledger/1", {"QR code emptied": [exports.qr_svg], "QR code kept": []}),
        ("/regions/piemonte", {"standing emptied": standings[1:], "standing kept": []}),
        ("/regions", {"parts emptied": [rendered_part], "parts kept": []}),
        ("/accessibility", {"footer and brand emptied": [rendered_part],
                            "menu emptied": [rendered_menu], "both kept": []}),
        ("{room}", {"messages' items emptied": [rendered_item, _formatted_moment],
                    "texts for rooms.js emptied": [rendered_part], "both kept": []}),
        ("/admin/audit", {"labels emptied": [_labels], "moments emptied": [_formatted_moment],
                          "rows emptied": [rendered_row, _formatted_moment],
                          "regions emptied": [rendered_region_options], "all kept": []}),
    ]
    for page, setups in checks:
        if args.only and page not in args.only:
            continue
        client, page = client_for(anonymous, page)
        client.get(page)
        times = {name: [] for name in setups}
        for _ in range(args.runs):
            for name, emptied in setups.items():
                if name != "page kept":
                    emptied = [KeptPages, *emptied]
                started = time.process_time()
                for _ in range(args.requests):
                    for cache in emptied:
                        cache.cache_clear()
                    assert client.get(page).status_code == 200
                times[name].append((time.process_time() - started) / args.requests * 1000)
        print(page, ", ".join(f"{name} {statistics.median(t):.2f} ms" for name, t in times.items()),
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", help="comma-separated paths; {group} and {room} are looked "
                        "up (default: every page; with --fast-paths: the pages it checks)")
    parser.add_argument("--runs", type=int, default=3,
                        help="alternating runs of ours and the bare page; medians are shown")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON line: per page ours, bare, ratio, target, met")
    parser.add_argument("--duration", type=int, default=5, help="seconds of each wrk run")
    parser.add_argument("--fast-paths", action="store_true",
                        help="time the Pact's pages with its caches emptied or kept instead")
    parser.add_argument("--profile", metavar="PATH", help="profile one page in process instead")
    parser.add_argument("--page", default="/pact", help="the page --profile requests ({room} too)")
    parser.add_argument("--sample", action="store_true",
                        help="with --profile: sample CPU time every 0.5 ms instead of cProfile")
    parser.add_argument("--requests", type=int, default=50,
                        help="requests under --profile, and in each run of --fast-paths")
    parser.add_argument("--top", type=int, default=25, help="rows of --profile's listings")
    args = parser.parse_args()
    args.only = args.pages.split(",") if args.pages else None
    args.pages = args.only or PUBLIC + SIGNED_IN
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as name:
        if args.profile:
            return profile(args, Path(name))
        if args.fast_paths:
            return fast_paths(args, Path(name))
        args.out = sys.stderr if args.json else sys.stdout  # --json: only the JSON on stdout
        load_before = os.getloadavg()[0]
        print(f"load average before: {load_before:.2f} on {os.cpu_count()} cores", file=args.out)
        print("| Page | Ours (req/s) | Bare (req/s) | Ratio | Target | Met "
              "| CPU per request, ours / bare (ms), ratio |", file=args.out)
        print("| --- | ---: | ---: | ---: | ---: | --- | ---: |", file=args.out)
        rows = measure(args, Path(name))
        load_after = os.getloadavg()[0]
        print(f"load average after: {load_after:.2f}; "
              f"{sum(r['met'] for r in rows)}/{len(rows)} pages meet their target", file=args.out)
        if args.json:
            print(json.dumps({"rows": rows, "runs": args.runs, "duration_s": args.duration,
                              "load_average": [round(load_before, 2), round(load_after, 2)]}))


if __name__ == "__main__":
    if os.environ.get("PAGES_SERVE_BARE"):
        serve_bare()
    elif os.environ.get("PAGES_ADD_MESSAGES"):
        add_room_messages()
    else:
        main()
