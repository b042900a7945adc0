"""Events: 1,000 people register in one burst from 100 clients; the platform vs a bare insert.

One event with 300 seats, 5 of them reserved for each of the 21 regions; 1,000 real accounts
(delegates with a mandate, spread over the regions, and some people of no region) each post the
event's registration form once (/events/<id>/join: the organiser's two questions, the
needs and the consent to the public list), 100 clients at a time (each client sends its people's
requests one after the other, on one keep-alive connection, as a browser would). The platform
runs as in production (deploy/serve.py, one gevent process) on a scratch PostgreSQL database.
In the same run, the same burst goes to a bare Flask endpoint under the same server stack
(deploy/serve.py's listener, its line of requests, gevent's WSGIServer) that inserts one row in
one transaction on the same database, with the platform's pool. Target: our p95 at most 3x the bare endpoint's.
Beside it, not a target, the same burst at the bare server's /fair/events/<id>/join: the
simplest correct registration (session cookie, CSRF token, the session's person, the event's
row lock, the seat count, one insert). Each burst also gives the server's CPU time per request
(from /proc), which the machine's load does not change, and the share of the machine left idle.

Checked on the database after each burst of ours:
  - nothing overbooked: seats taken at most 300, each region's reserved seats at most 5, the
    general pool at most 300 - 105;
  - every request answered with the redirect and gave exactly one registration;
  - arrival order: the registrations' ids are their commit order (each is inserted under the
    event's row lock); replaying the seat rule over them in id order gives every one the same
    status and pool, so the waiting list holds exactly the latecomers, positioned in arrival
    order; and no request that was sent after another's answer came back got a smaller id.

    .venv/bin/python bench/events_registration.py                 # 3 alternating runs
    .venv/bin/python bench/events_registration.py --runs 1 --people 300 --clients 30

``--runs N`` measures ours then bare N times (a new event each time); the figures are the
medians of the runs. Sessions are opened in the set-up with the app's own sign-in service
(lab/accounts/signin.py) and signed into cookies with the app's secret, with the form's CSRF
token: signing 1,000 people in through the form would hash 1,000 passwords.
"""
from __future__ import annotations

import os
import sys

if os.environ.get("EVENTS_SERVE_BARE"):
    from gevent import monkey

    monkey.patch_all()  # as deploy/serve.py does, before any socket is opened

import argparse  # noqa: E402
import asyncio  # noqa: E402
import bisect  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import aiohttp  # noqa: E402

from rooms_common import (  # noqa: E402
    DATABASE, CpuMeter, Server, cpu_seconds, free_port, percentile, scratch_database, start_ours,
)

SEATS, REGION_SEATS = 300, 5
AGENT = "bench-events/1"
TARGET = 3.0
BARE_TABLE = ("CREATE TABLE IF NOT EXISTS bare_registrations (id bigserial PRIMARY KEY, "
              "event_id integer NOT NULL, person_id integer NOT NULL, "
              "created_at timestamptz NOT NULL DEFAULT now())")
# The fair baseline's registrations: who, their region, and the seat rule's outcome.
FAIR_TABLE = ("CREATE TABLE IF NOT EXISTS fair_registrations (id bigserial PRIMARY KEY, "
              "event_id integer NOT NULL, person_id integer NOT NULL, region_id integer, "
              "status text NOT NULL, pool text, UNIQUE (event_id, person_id))")
# After the event's row lock, in a statement of its own (so it reads what the lock's previous
# holder committed): the person's region's reserved seats, those taken, and the general pool's.
FAIR_SEATS = """SELECT
  (SELECT seats FROM event_quotas WHERE event_id = :event AND region_id = :region),
  (SELECT count(*) FROM fair_registrations
    WHERE event_id = :event AND pool = 'region' AND region_id = :region),
  (SELECT capacity - (SELECT coalesce(sum(seats), 0) FROM event_quotas WHERE event_id = :event)
     FROM events WHERE id = :event),
  (SELECT count(*) FROM fair_registrations WHERE event_id = :event AND pool = 'general')"""


def serve_bare() -> None:
    """Insert one row per POST to /events/<id>/join, in one transaction, and redirect; and at
    /fair/events/<id>/join, the simplest correct registration (see ``fair_registration``)."""
    from flask import Flask, redirect, request
    from gevent import pywsgi
    from sqlalchemy import create_engine, text

    from config import Config
    from deploy.serve import listener
    from lab.core.database import engine_options, in_arrival_order
    from tests.rooms.cluster import SECRET

    url = os.environ["BARE_DATABASE_URL"]
    pool = {"SQLALCHEMY_DATABASE_URI": url, "DATABASE_POOL_SIZE": Config.DATABASE_POOL_SIZE,
            "DATABASE_MAX_OVERFLOW": Config.DATABASE_MAX_OVERFLOW,
            "DATABASE_POOL_TIMEOUT": Config.DATABASE_POOL_TIMEOUT}
    engine = create_engine(url, **engine_options(pool))
    with engine.begin() as connection:
        connection.execute(text(BARE_TABLE))
        connection.execute(text(FAIR_TABLE))
    insert = text("INSERT INTO bare_registrations (event_id, person_id) VALUES (:event, :person)")
    app = Flask("bare")
    app.secret_key = SECRET  # the platform's, to read its session cookie and CSRF token

    @app.post("/events/<int:event_id>/join")
    def register(event_id: int):
        with engine.begin() as connection:
            connection.execute(insert, {"event": event_id, "person": int(request.form["person"])})
        return redirect(f"/events/{event_id}")

    app.add_url_rule("/fair/events/<int:event_id>/join", "fair", fair_registration(engine),
                     methods=["POST"])

    app.add_url_rule("/healthz", "healthz", lambda: "ok")
    pywsgi.WSGIServer(listener("127.0.0.1", int(os.environ["PORT"])), in_arrival_order(app, pool),
                      log=None).serve_forever()


def fair_registration(engine):
    """The simplest correct registration, as a view: the session cookie and its CSRF token
    checked, the person found from the cookie's session token (one query, as the platform's
    sign-in does), the event's row locked, the seats counted, one row inserted, committed.

    Beside the required bare insert, it shows what the platform's request does over and above
    what any correct registration must do."""
    import hashlib

    from flask import abort, redirect, request, session
    from flask_wtf.csrf import validate_csrf
    from sqlalchemy import text

    person_of = text("SELECT users.id, users.region_id FROM user_sessions JOIN users "
                     "ON users.id = user_sessions.user_id WHERE user_sessions.token_hash = :digest "
                     "AND user_sessions.revoked_at IS NULL AND users.active")
    lock = text("SELECT id FROM events WHERE id = :event FOR UPDATE")
    seats = text(FAIR_SEATS)
    insert = text("INSERT INTO fair_registrations (event_id, person_id, region_id, status, pool) "
                  "VALUES (:event, :person, :region, :status, :pool)")

    def view(event_id: int):
        validate_csrf(request.form.get("csrf_token"))
        digest = hashlib.sha256(session.get("_user_id", "").encode()).hexdigest()
        with engine.begin() as connection:
            person = connection.execute(person_of, {"digest": digest}).one_or_none()
            if person is None:
                abort(403)
            connection.execute(lock, {"event": event_id})
            reserved, regional, general_seats, general = connection.execute(
                seats, {"event": event_id, "region": person.region_id}).one()
            pool = ("region" if reserved and regional < reserved
                    else "general" if general < general_seats else None)
            connection.execute(insert, {"event": event_id, "person": person.id,
                                        "region": person.region_id, "pool": pool,
                                        "status": "registered" if pool else "waiting"})
        return redirect(f"/events/{event_id}")

    return view


def prepare(database: str, folder: Path, people: int, events: int) -> dict:
    """Migrate, create ``events`` events and ``people`` accounts, and sign everyone in.

    Returns the events' ids with the form's answers to their questions, the regions' reserved
    seats and each person's id, session cookie and CSRF token. About one person in ten has no region (an editorial board member).
    """
    from flask import session
    from flask_migrate import upgrade
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import select

    from lab import create_app
    from lab.accounts.models import Region, User
    from lab.accounts.signin import sign_in_browser
    from lab.core.timeutil import utcnow
    from lab.events import questions, services
    from lab.events.models import Format, Kind, QuestionKind
    from lab.extensions import db
    from tests.factories import make_person
    from tests.rooms.cluster import SECRET

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database, "INSTANCE_DIR": folder,
                                 "SECRET_KEY": SECRET})
    with app.app_context():
        upgrade()
        regions = db.session.scalars(select(Region).order_by(Region.slug)).all()
        organiser = make_person("organiser@events.example", "Organiser", "organiser")
        starts = utcnow() + timedelta(days=30)
        event_ids, answers = [], {}
        for n in range(events):
            event = services.create_event(organiser, services.EventDraft(
                title=f"Forum {n}", kind=Kind.FORUM.value, format=Format.IN_PERSON.value,
                starts_at=starts, ends_at=starts + timedelta(hours=8), venue="Torino",
                capacity=SEATS))
            services.set_quotas(organiser, event, {region.id: REGION_SEATS for region in regions})
            workshop = questions.add_question(organiser, event, questions.QuestionDraft(
                "Laboratorio del pomeriggio", QuestionKind.CHOICE.value, "Welfare\nLavoro\nCasa",
                required=True))
            lunch = questions.add_question(organiser, event, questions.QuestionDraft(
                "Resti a pranzo?", QuestionKind.YES_NO.value))
            services.publish_event(organiser, event)
            event_ids.append(event.id)
            answers[event.id] = {f"question_{workshop.id}": "Lavoro",
                                 f"question_{lunch.id}": questions.YES,
                                 "accessibility": "", "dietary": "vegetariano"}
        accounts = []
        for n in range(people):
            if n % 10 == 9:
                person = make_person(f"p{n}@events.example", f"Person {n}", "editorial_board")
            else:
                person = make_person(f"p{n}@events.example", f"Delegate {n}", "delegate",
                                     regions[n % len(regions)].slug, mandate=True)
            accounts.append(person.id)
        region_count = len(regions)
        db.session.remove()
    serializer = app.session_interface.get_signing_serializer(app)
    signed_in = []
    for person_id in accounts:
        # A context of its own for each: the CSRF token is kept for the context's length.
        with app.test_request_context(headers={"User-Agent": AGENT},
                                      environ_base={"REMOTE_ADDR": "127.0.0.1"}):
            sign_in_browser(db.session.get(User, person_id))
            csrf = generate_csrf()
            signed_in.append({"id": person_id, "cookie": serializer.dumps(dict(session)),
                              "csrf": csrf})
    with app.app_context():
        db.engine.dispose()
    return {"events": event_ids, "answers": answers, "regions": region_count, "people": signed_in}


async def _client(url: str, people: list[dict], path: str, form: dict, out: list) -> None:
    """One browser: its people's registrations one after the other, on one connection."""
    connector = aiohttp.TCPConnector(limit=1)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                     headers={"User-Agent": AGENT}) as browser:
        for person in people:
            sent = time.perf_counter()
            async with browser.post(url + path, allow_redirects=False,
                                    data={**form, "csrf_token": person["csrf"], "person": person["id"],
                                          **({"listed_publicly": "y"} if person["id"] % 2 else {})},
                                    headers={"Cookie": f"session={person['cookie']}"}) as answer:
                await answer.read()
            out.append({"person": person["id"], "status": answer.status, "sent": sent,
                        "answered": time.perf_counter()})


def burst(server: Server, event_id: int, form: dict, people: list[dict], clients: int,
          prefix: str = "") -> tuple[list[dict], dict]:
    """Post every person's registration form, ``clients`` at a time; return each request's
    times, and the CPU time the server's process spent per request (ms) with the share of the
    machine left idle meanwhile."""
    out: list[dict] = []
    path = f"{prefix}/events/{event_id}/join"

    async def everyone():
        await asyncio.gather(*(_client(server.url, people[n::clients], path, form, out)
                               for n in range(clients)))

    meter, cpu = CpuMeter(server.process.pid), cpu_seconds(server.process.pid)
    asyncio.run(everyone())
    return out, {"cpu_ms_per_request": (cpu_seconds(server.process.pid) - cpu) / len(out) * 1000,
                 **meter.read()}


def latency(requests: list[dict], cpu: dict) -> dict:
    """Percentiles and throughput; beside them the CPU time per request, the throughput one
    process would reach if that CPU were all a request waited for (one core, no lock), the
    cores the server used and the share of the machine left idle."""
    times = [(r["answered"] - r["sent"]) * 1000 for r in requests]
    span = max(r["answered"] for r in requests) - min(r["sent"] for r in requests)
    return {"p50_ms": round(percentile(times, 0.5), 1), "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1), "requests_per_s": round(len(requests) / span, 1),
            "cpu_ms_per_request": round(cpu["cpu_ms_per_request"], 2),
            "cpu_bound_requests_per_s": round(1000 / cpu["cpu_ms_per_request"], 1),
            "server_cores": cpu["server_cores"], "machine_idle": cpu["machine_idle"],
            "statuses": sorted({r["status"] for r in requests})}


def check(database: str, event_id: int, requests: list[dict], regions: int) -> dict:
    """Compare what the database holds with the seat rule and with the order of arrival."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT id, user_id, region_id, status, pool FROM event_registrations "
            "WHERE event_id = :event ORDER BY id"), {"event": event_id}).all()
        reserved = dict(connection.execute(text(
            "SELECT region_id, seats FROM event_quotas WHERE event_id = :event"),
            {"event": event_id}).all())
    engine.dispose()
    seated = [row for row in rows if row.status == "registered"]
    by_region: dict[int, int] = {}
    for row in seated:
        if row.pool == "region":
            by_region[row.region_id] = by_region.get(row.region_id, 0) + 1
    general = sum(1 for row in seated if row.pool == "general")
    overbooked = (max(0, len(seated) - SEATS) + sum(max(0, n - REGION_SEATS) for n in by_region.values())
                  + max(0, general - (SEATS - sum(reserved.values()))))
    # The seat rule (lab/events/registrations.py: free_pool) replayed in arrival order.
    left, general_left, misplaced = dict(reserved), SEATS - sum(reserved.values()), 0
    for row in rows:
        if left.get(row.region_id, 0) > 0:
            left[row.region_id] -= 1
            expected = ("registered", "region")
        elif general_left > 0:
            general_left -= 1
            expected = ("registered", "general")
        else:
            expected = ("waiting", None)
        misplaced += (row.status, row.pool) != expected
    # A request sent after another's answer arrived must have arrived after it (among the
    # requests that registered someone: a failed one is counted apart).
    ids = {row.user_id: row.id for row in rows}
    done = sorted((r for r in requests if r["person"] in ids), key=lambda r: r["answered"])
    ends, highest, top = [r["answered"] for r in done], [], 0
    for r in done:
        top = max(top, ids[r["person"]])
        highest.append(top)
    overtaken = sum(1 for r in done if (before := bisect.bisect_left(ends, r["sent"]))
                    and highest[before - 1] > ids[r["person"]])
    return {"registrations": len(rows), "people": len(requests),
            "failed_requests": sum(1 for r in requests if r["status"] != 302),
            "persons_registered_once": len(ids) == len(rows) == len(requests),
            "seats_taken": len(seated), "general_taken": general,
            "region_seats_max": max(by_region.values(), default=0),
            "regions_full": sum(1 for n in by_region.values() if n == REGION_SEATS),
            "waiting": sum(1 for row in rows if row.status == "waiting"),
            "overbooked": overbooked, "out_of_seat_rule_order": misplaced,
            "overtaken_in_real_time": overtaken, "regions": regions}


def start_bare(database: str, folder: Path):
    env = {**os.environ, "PORT": str(free_port()), "PYTHONUNBUFFERED": "1",
           "EVENTS_SERVE_BARE": "1", "BARE_DATABASE_URL": database}
    return Server(env, folder / "bare.log", script=Path(__file__).resolve()).start()


def rows_in(database: str, table: str, event_id: int, where: str = "TRUE") -> int:
    """How many rows a baseline wrote for the event (``where`` them)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database)
    with engine.connect() as connection:
        count = connection.execute(text(f"SELECT count(*) FROM {table} "
                                        f"WHERE event_id = :event AND {where}"),
                                   {"event": event_id}).scalar()
    engine.dispose()
    return count


def run(args, folder: Path) -> dict:
    with scratch_database(DATABASE) as database:
        started = time.time()
        setup = prepare(database, folder, args.people, args.runs + 1)
        log(f"set-up: {args.people} people signed in, {args.runs + 1} events, "
            f"{time.time() - started:.0f} s")
        servers = []
        try:
            servers += [start_ours(database, folder)]
            servers += [start_bare(database, folder)]
            ours, bare = servers
            warm = setup["people"][:args.clients]  # the first event: templates, pools, caches
            form = setup["answers"]
            first = setup["events"][0]
            burst(ours, first, form[first], warm, args.clients)
            burst(bare, first, form[first], warm, args.clients)
            burst(bare, first, form[first], warm, args.clients, prefix="/fair")
            runs = []
            for n, event_id in enumerate(setup["events"][1:], 1):
                load = os.getloadavg()[0]
                people = setup["people"]
                ours_requests, ours_cpu = burst(ours, event_id, form[event_id], people, args.clients)
                bare_requests, bare_cpu = burst(bare, event_id, form[event_id], people, args.clients)
                fair_requests, fair_cpu = burst(bare, event_id, form[event_id], people, args.clients,
                                                prefix="/fair")
                result = {"load_average": round(load, 2), "ours": latency(ours_requests, ours_cpu),
                          "bare": latency(bare_requests, bare_cpu),
                          "fair": latency(fair_requests, fair_cpu),
                          "check": check(database, event_id, ours_requests, setup["regions"]),
                          "bare_rows": rows_in(database, "bare_registrations", event_id),
                          "fair_rows": rows_in(database, "fair_registrations", event_id),
                          "fair_seated": rows_in(database, "fair_registrations", event_id,
                                                 "status = 'registered'")}
                result["p95_ratio"] = round(result["ours"]["p95_ms"] / result["bare"]["p95_ms"], 2)
                result["fair_p95_ratio"] = round(result["ours"]["p95_ms"] / result["fair"]["p95_ms"], 2)
                runs.append(result)
                log(f"run {n}: {json.dumps(result)}")
        finally:
            for server in servers:
                server.stop()
    return summary(runs, args)


def summary(runs: list[dict], args) -> dict:
    def median(server: str, name: str) -> float:
        return round(statistics.median(r[server][name] for r in runs), 1)

    def total(name: str) -> int:
        return sum(r["check"][name] for r in runs)

    def figures(server: str) -> str:
        return (f"{median(server, 'p95_ms')} ms (p50 {median(server, 'p50_ms')} ms, "
                f"{median(server, 'requests_per_s')} req/s, "
                f"{median(server, 'cpu_ms_per_request')} ms CPU a request)")

    ratio = round(statistics.median(r["p95_ratio"] for r in runs), 2)
    fair_ratio = round(statistics.median(r["fair_p95_ratio"] for r in runs), 2)
    fair_sound = all(r["fair"]["statuses"] == [302] and r["fair_rows"] == args.people
                     and r["fair_seated"] == min(SEATS, args.people) for r in runs)
    sound = all(r["check"]["overbooked"] == r["check"]["out_of_seat_rule_order"]
                == r["check"]["overtaken_in_real_time"] == 0 and r["check"]["persons_registered_once"]
                and r["ours"]["statuses"] == r["bare"]["statuses"] == [302]
                and r["bare_rows"] == args.people for r in runs)
    last = runs[-1]["check"]
    label = f"{args.people} people, {args.clients} clients, median of {len(runs)}"
    rows = [
        {"measure": f"Events: registration burst p95 ({label}) vs a bare one-row insert",
         "ours": figures("ours"), "baseline": figures("bare"),
         "ratio": f"{ratio}×", "target": f"≤ {TARGET}×",
         "met": "met" if ratio <= TARGET else "NOT met"},
        {"measure": f"Events: registration burst p95 ({label}) vs the simplest correct "
                    "registration (session cookie, CSRF, session lookup, lock, count, insert)",
         "ours": figures("ours"), "baseline": figures("fair"), "ratio": f"{fair_ratio}×",
         "target": "none (beside the row above)",
         "met": "shown" if fair_sound else "invalid: the baseline's rows are wrong"},
        {"measure": f"Events: seats and arrival order after the burst ({len(runs)} runs)",
         "ours": f"{max(r['check']['overbooked'] for r in runs)} overbooked "
                 f"({last['seats_taken']}/{SEATS} seats, at most {last['region_seats_max']} "
                 f"reserved per region, {last['waiting']} waiting), "
                 f"{total('out_of_seat_rule_order') + total('overtaken_in_real_time')} out of "
                 f"arrival order, {total('failed_requests')} requests failed",
         "baseline": "", "ratio": "",
         "target": "0 overbooked, waiting list in arrival order, none failed",
         "met": "met" if sound else "NOT met"},
    ]
    return {"runs": runs, "p95_ratio": ratio, "passed": sound, "rows": rows}


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3, help="alternating runs; figures are medians")
    parser.add_argument("--json", action="store_true", help="print only one JSON document")
    parser.add_argument("--logs", type=Path, help="keep the servers' logs in this folder")
    args = parser.parse_args()
    log(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="lab-events-") as tmp:
        if args.logs:
            args.logs.mkdir(parents=True, exist_ok=True)
        result = run(args, args.logs or Path(tmp))
    print(json.dumps(result))
    if not args.json:
        for row in result["rows"]:
            print(f"{row['measure']}: {row['ours']} against {row['baseline']} {row['ratio']} "
                  f"(target {row['target']}): {row['met']}")
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    if os.environ.get("EVENTS_SERVE_BARE"):
        serve_bare()
    else:
        main()
