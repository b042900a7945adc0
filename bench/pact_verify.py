"""Benchmark ``flask --app wsgi pact verify`` on a register of N entries.

    .venv/bin/python bench/pact_verify.py --entries 100000 --database sqlite
    .venv/bin/python bench/pact_verify.py --entries 100000 --database postgresql

The register is filled quickly but honestly: every entry's ``prev_hash``/``entry_hash`` is
computed with ``lab.pact.canonical.entry_hash`` exactly as ``lab.pact.ledger.append`` does, the
rows are bulk-inserted (the append-only triggers only refuse UPDATE/DELETE) and the head gets a
checkpoint signed with ``lab.pact.ledger.sign_checkpoint``. The real command must then answer
"N entries, chain intact", so a single wrong hash would fail the benchmark.

SQLite lives in a temporary directory; PostgreSQL uses the database ``lab_bench`` (created if
missing) whose ``public`` schema is dropped and recreated at the start of every build. The
database ``test`` belongs to the test suite and is never touched.

``bench/pact_page.py`` imports ``build_register`` from here.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DATABASE = "lab_bench"  # never "test": the test suite owns it
BATCH = 5000
TARGET_SECONDS = 2.0  # the target: 100,000 entries on SQLite

FOUNDING_START = datetime(2019, 1, 23, 10, 0)  # 11:00 in Turin, the Forum's day
FOUNDERS = 7  # the first entries are signed on the founding day, five minutes apart
LATER_START = datetime(2019, 2, 1, 9, 0)
LATER_END = datetime(2025, 12, 31, 17, 0)

SIGNERS = ["Niccolò Bianchi", "Anna Maria Rossi", "Lucía Ferrè", "Günther Pichler",
           "Salvatore D'Amico", "Chiara Esposito", "Élodie Perrin"]
TITLES = ["Assessore alle Politiche sociali", "Presidente della Giunta regionale",
          "Assessora al Welfare e all'Innovazione «sociale»"]


def log(message: str) -> None:
    print(message, flush=True)


def venv_bin(name: str) -> str:
    """A console script of the interpreter running this file (the project's venv)."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


# --- the database ------------------------------------------------------------------------------

def reset_postgresql() -> str:
    """Create ``lab_bench`` if missing, drop and recreate its public schema; return its URL."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (PG_DATABASE,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    with psycopg.connect(f"{PG_SERVER}/{PG_DATABASE}", autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return f"{PG_SERVER}/{PG_DATABASE}"


def reset_sqlite(workdir: Path, entries: int) -> str:
    path = workdir / f"lab_bench_{entries}.sqlite"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


# --- the register ------------------------------------------------------------------------------

@dataclass
class Register:
    """A built register, its application and the environment the real commands run with."""
    app: object
    env: dict
    database: str
    entries: int
    head_hash: str
    regions: int
    timings: dict = field(default_factory=dict)
    signed_at: list = field(default_factory=list)  # signed_at of each entry, seq order

    def close(self) -> None:
        """Release the pooled connections (PostgreSQL refuses to drop a schema in use)."""
        from lab.extensions import db

        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def bench_environment(url: str, workdir: Path) -> dict:
    """Set (and return) the environment the app, the CLI and the server are started with."""
    values = {
        "LAB_CONFIG": "development",
        "DATABASE_URL": url,
        "LAB_INSTANCE_DIR": str(workdir / "instance"),
        "PACT_SIGNING_KEY": str(workdir / "keys" / "pact_ed25519.pem"),
        "MAIL_BACKEND": "file",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    os.environ.update(values)
    env = dict(os.environ)
    env.pop("FLASK_APP", None)
    return env


def entry_times(entries: int) -> list[datetime]:
    """Strictly increasing, whole seconds: the founders on 23 January 2019, the rest spread
    evenly up to the end of 2025."""
    times = [FOUNDING_START + timedelta(minutes=5 * i) for i in range(min(FOUNDERS, entries))]
    rest = entries - len(times)
    if rest:
        step = max(1, int((LATER_END - LATER_START).total_seconds()) // rest)
        times += [LATER_START + timedelta(seconds=step * i) for i in range(rest)]
    return times


def build_register(entries: int, database: str, workdir: Path) -> Register:
    """Migrate a fresh database, publish a Pact version and fill the register with N entries."""
    timings = {}
    started = time.perf_counter()
    url = reset_postgresql() if database == "postgresql" else reset_sqlite(workdir, entries)
    env = bench_environment(url, workdir)
    timings["reset"] = time.perf_counter() - started

    from flask_migrate import upgrade
    from sqlalchemy import insert, select, text

    from config import database_url
    from lab import create_app
    from lab.accounts.models import Region
    from lab.extensions import db
    from lab.pact import ledger, versions
    from lab.pact.canonical import entry_hash
    from lab.pact.keys import generate_key_file
    from lab.pact.models import GENESIS_HASH, LedgerEntry

    timings["imports"] = time.perf_counter() - started - timings["reset"]  # first build only
    key_path = Path(env["PACT_SIGNING_KEY"])
    generate_key_file(key_path)
    instance = Path(env["LAB_INSTANCE_DIR"])
    # The overrides repeat the environment so a second build in the same process (pact_page.py)
    # gets its own database even though config.py read the environment once at import.
    app = create_app("development", {
        "SQLALCHEMY_DATABASE_URI": database_url(url),
        "INSTANCE_DIR": instance,
        "UPLOAD_DIR": instance / "uploads",
        "MAIL_FILE_DIR": instance / "mail",
        "PACT_SIGNING_KEY": key_path,
    })
    with app.app_context():
        step = time.perf_counter()
        upgrade()
        timings["migrate"] = time.perf_counter() - step

        pact_text = (ROOT / "lab" / "pact" / "data" / "pact_2019.md").read_text("utf-8")
        version = versions.save_draft(None, "Patto per l'innovazione sociale", pact_text)
        versions.publish(None, version, published_at=datetime(2019, 1, 23, 8, 0))

        regions = list(db.session.scalars(select(Region).order_by(Region.id)))
        if len(regions) != 21:
            raise SystemExit(f"expected 21 regions after the migrations, found {len(regions)}")

        step = time.perf_counter()
        table = LedgerEntry.__table__
        times = entry_times(entries)
        adhering = {r.id: False for r in regions}
        prev, batch = GENESIS_HASH, []
        hashing = inserting = 0.0
        for seq in range(1, entries + 1):
            tick = time.perf_counter()
            region = regions[(seq - 1) % len(regions)]
            # Per region: adhesion, withdrawal, adhesion, ... (what the signing service allows).
            kind = "withdrawal" if adhering[region.id] else "adhesion"
            adhering[region.id] = not adhering[region.id]
            founding = seq <= FOUNDERS
            fields = {
                "seq": seq, "kind": kind, "region_id": region.id,
                "region_code": region.istat_code, "version_id": version.id,
                "version_number": version.number, "text_hash": version.text_hash,
                "signer_id": None, "signer_name": f"{SIGNERS[seq % len(SIGNERS)]} (benchmark)",
                "signer_title": TITLES[seq % len(TITLES)],
                "mandate_act": f"DGR n. {seq % 997 + 1}/{times[seq - 1].year} — {region.name_it}",
                "place": "Torino" if founding else region.name_it,
                "event": "Forum dell'innovazione sociale" if founding else "",
                "reason": "" if kind == "adhesion" else "Recesso di prova per il benchmark.",
                "demo": True,  # synthetic data, flagged as such
                "signed_at": times[seq - 1].replace(microsecond=0),
            }
            # As ledger.append: hash of the previous entry's hash and the entry's fields.
            digest = entry_hash(prev, fields)
            batch.append({**fields, "prev_hash": prev, "entry_hash": digest})
            prev = digest
            hashing += time.perf_counter() - tick
            if len(batch) == BATCH or seq == entries:
                tick = time.perf_counter()
                db.session.execute(insert(table), batch)
                inserting += time.perf_counter() - tick
                batch = []
        tick = time.perf_counter()
        if entries:
            db.session.add(ledger.sign_checkpoint(entries, prev))
        db.session.commit()
        inserting += time.perf_counter() - tick
        timings["hash"], timings["insert"] = hashing, inserting
        timings["fill"] = time.perf_counter() - step

        if database == "postgresql":
            # Fresh tables have no statistics yet; autovacuum would analyse them within a minute.
            step = time.perf_counter()
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            timings["analyze"] = time.perf_counter() - step
        db.session.remove()
    timings["build"] = time.perf_counter() - started - timings["imports"]
    return Register(app=app, env=env, database=database, entries=entries, head_hash=prev,
                    regions=len(regions), timings=timings, signed_at=times)


def describe_build(register: Register) -> str:
    t = register.timings
    extra = f", analyze {t['analyze']:.2f} s" if "analyze" in t else ""
    return (f"build, {register.entries} entries, {register.database}: {t['build']:.2f} s "
            f"(migrations {t['migrate']:.2f} s, hashing {t['hash']:.2f} s, "
            f"bulk insert + checkpoint {t['insert']:.2f} s{extra})")


# --- timing the verification -------------------------------------------------------------------

def run_command(register: Register, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    command = [venv_bin("flask"), "--app", "wsgi", *args]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=register.env, capture_output=True, text=True,
                            timeout=300)
    return time.perf_counter() - started, result


def time_command(register: Register, runs: int) -> list[float]:
    expected = f"{register.entries} entries, chain intact, head {register.head_hash}"
    walls = []
    for run in range(1, runs + 1):
        wall, result = run_command(register, "pact", "verify")
        output = result.stdout.strip()
        if result.returncode != 0 or expected not in output:
            raise SystemExit(f"pact verify failed (exit {result.returncode}):\n{output}\n"
                             f"{result.stderr[-3000:]}")
        log(f"  command run {run}: {wall:.3f} s  -> {output}")
        walls.append(wall)
    return walls


def time_startup(register: Register, runs: int) -> list[float]:
    """``flask --app wsgi pact --help`` imports and builds the app but verifies nothing."""
    walls = []
    for _ in range(runs):
        wall, result = run_command(register, "pact", "--help")
        if result.returncode != 0:
            raise SystemExit(f"flask pact --help failed:\n{result.stderr[-3000:]}")
        walls.append(wall)
    return walls


def time_in_process(register: Register, runs: int) -> list[float]:
    from lab.extensions import db
    from lab.pact.integrity import verify_ledger

    walls = []
    for run in range(1, runs + 1):
        with register.app.app_context():
            started = time.perf_counter()
            verdict = verify_ledger()
            wall = time.perf_counter() - started
            db.session.remove()
        if not verdict.ok or verdict.count != register.entries:
            raise SystemExit(f"verify_ledger: {verdict.describe()}")
        log(f"  in-process run {run}: {wall:.3f} s")
        walls.append(wall)
    return walls


def profile_in_process(register: Register, limit: int = 18) -> str:
    """cProfile of one in-process verify_ledger(), by own time and by cumulative time."""
    from lab.extensions import db
    from lab.pact.integrity import verify_ledger

    profiler = cProfile.Profile()
    with register.app.app_context():
        profiler.enable()
        verify_ledger()
        profiler.disable()
        db.session.remove()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write("--- by own time (tottime) ---\n")
    stats.sort_stats("tottime").print_stats(limit)
    out.write("--- by cumulative time ---\n")
    stats.sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


def profile_command(register: Register, workdir: Path, limit: int = 25) -> str:
    """cProfile of one run of the real command: where start-up and verification go."""
    output = workdir / "pact_verify.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(output), venv_bin("flask"),
               "--app", "wsgi", "pact", "verify"]
    result = subprocess.run(command, cwd=ROOT, env=register.env, capture_output=True, text=True,
                            timeout=300)
    if result.returncode != 0:
        return f"profiling the command failed:\n{result.stderr[-3000:]}"
    out = io.StringIO()
    stats = pstats.Stats(str(output), stream=out).strip_dirs()
    out.write("--- the command, by cumulative time ---\n")
    stats.sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", choices=("auto", "always", "never"), default="auto",
                        help="cProfile verify_ledger() in process and the command: 'auto' when the "
                             "command's median is over the 2 s target")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--json", action="store_true",
                        help="print only the figures, as JSON; the progress goes to stderr")
    args = parser.parse_args(argv)
    if not args.json:
        measure(args)
        return 0
    with contextlib.redirect_stdout(sys.stderr):
        figures = measure(args)
    print(json.dumps(figures))
    return 0


def measure(args) -> dict:
    """Build the register, time the command and verify_ledger(); return the figures."""
    workdir = Path(tempfile.mkdtemp(prefix="lab_bench_"))
    register = None
    try:
        log(f"building {args.entries} entries on {args.database} in {workdir} ...")
        register = build_register(args.entries, args.database, workdir)
        log(describe_build(register))

        startup = time_startup(register, args.runs)
        log(f"  app start-up alone (flask --app wsgi pact --help): median "
            f"{statistics.median(startup):.3f} s")
        command = time_command(register, args.runs)
        in_process = time_in_process(register, args.runs)
        cmd_median, proc_median = statistics.median(command), statistics.median(in_process)
        log(f"pact verify, {args.entries} entries, {args.database}: median {cmd_median:.2f} s "
            f"(command), {proc_median:.2f} s (in-process)")

        over = cmd_median > TARGET_SECONDS
        if args.database == "sqlite" and args.entries >= 100_000:
            log(f"target (< {TARGET_SECONDS:.0f} s on SQLite for 100,000 entries): "
                f"{'MISSED' if over else 'met'}")
        if args.profile == "always" or (args.profile == "auto" and over):
            log(profile_in_process(register))
            log(profile_command(register, workdir))
        return {"entries": args.entries, "database": args.database,
                "command_median_s": round(cmd_median, 3),
                "in_process_median_s": round(proc_median, 3),
                "startup_median_s": round(statistics.median(startup), 3),
                "target_s": TARGET_SECONDS, "head": register.head_hash}
    finally:
        if register is not None:
            register.close()
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
