"""Benchmark the library's search page against 1,000 to 100,000 published practices.

    .venv/bin/python bench/library_search.py                       # both databases, 1k-100k
    .venv/bin/python bench/library_search.py --sizes 100000 --json  # for bench/report.py
    .venv/bin/python bench/library_search.py --sizes 10000 --databases sqlite

For each size a fresh database is migrated and filled with deterministic synthetic practices:
Italian words drawn from the seed documents (/work/shared/seeds/) with a Zipf spread, facet
values spread as a regional library's would be. The index rows are made by the application's
own functions (``lab.library.index.entry_row`` and ``facet_values``). The real server
(``python wsgi.py``, which copies the index into memory before it listens) answers GET /library
for each query, sequentially, after warm-up, in rounds of one request per query; every
answer is checked (status 200 and the number of practices the page announces). In the same
run each query is also run as a naive scan -- ``LIKE '%word%'`` over the practices' own text
columns, the same facet filters, a count and the first page -- straight on the database
(no HTTP, no template, no facet counts: the comparison favours the naive scan).
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import itertools
import json
import random
import re
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pact_page import Server, fetch, percentile  # noqa: E402
from pact_verify import bench_environment, log, reset_sqlite  # noqa: E402

SEEDS = Path("/work/shared/seeds")
# Until the workflow's pages are merged, the result links need the sheet's stand-in from the
# tests (registered only if the real sheet is absent); otherwise this is ``python wsgi.py``.
SERVER = ("-c", "import tests.library.search_data, runpy; runpy.run_path('wsgi.py', run_name='__main__')")
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/lab_bench_library"  # a scratch database of its own, made if missing
WARM_UP = 3
TARGET_SIZE = 100_000
P95_TARGET_MS = {"sqlite": 30, "postgresql": 50}
RATIO_TARGET = 20  # times faster than the naive scan (p50)
BATCH = 2000
ZIPF = 1.3  # a few words in most practices, most words in few
# Share of practices led by each region (the bigger and more active ones lead more).
REGION_WEIGHTS = {"lombardia": 14, "piemonte": 12, "emilia-romagna": 11, "toscana": 10,
                  "lazio": 9, "veneto": 9, "puglia": 7, "campania": 7, "sicilia": 5,
                  "liguria": 4, "marche": 4, "sardegna": 3, "trento": 3}
FUNDING_WEIGHTS = {"fse": 30, "fesr": 15, "pnrr": 15, "regional_budget": 14, "local_budget": 10,
                   "foundation": 8, "fsc": 4, "private": 3, "impact_finance": 1}
TARGETS = ["older_people", "disabilities", "minors_families", "poverty", "migrants",
           "unemployed", "care_workers", "community"]


def vocabulary() -> list[str]:
    """The seeds' words of four letters or more that are not stop words, most frequent first."""
    from lab.library.stemming import STOP_WORDS, fold

    text = " ".join(path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt")))
    words = [w for w in re.findall(r"[^\W\d_]{4,}", text.lower()) if fold(w) not in STOP_WORDS]
    return [word for word, _count in collections.Counter(words).most_common()]


class Corpus:
    """Deterministic synthetic practices: text, facets and dates."""

    def __init__(self, words: list[str], groups: list, regions: dict, seed: int = 2019):
        self.random = random.Random(seed)
        self.words = words
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) ** ZIPF for rank in range(len(words))))
        self.groups = groups
        self.theme_slugs = [group.slug for group in groups]
        self.regions = regions
        others = [slug for slug in regions if slug not in REGION_WEIGHTS]
        self.region_slugs = list(REGION_WEIGHTS) + others
        self.region_weights = list(REGION_WEIGHTS.values()) + [1] * len(others)

    def text(self, count: int) -> str:
        return " ".join(self.random.choices(self.words, cum_weights=self.cumulative, k=count))

    def practice(self, number: int, author_id: int) -> SimpleNamespace:
        pick = self.random
        region = self.regions[pick.choices(self.region_slugs, self.region_weights)[0]]
        partners = {self.regions[s] for s in pick.sample(self.region_slugs, pick.choice((0, 0, 1, 2)))}
        primary = pick.choice(self.groups)
        secondary = [g for g in pick.sample(self.groups, pick.choice((0, 1, 1, 2))) if g is not primary]
        started = date(pick.randint(2008, 2025), pick.randint(1, 12), 1)
        ended = None if pick.random() < 0.4 else min(date(2026, 6, 1), started + timedelta(days=pick.randint(200, 2500)))
        published = datetime(2019, 2, 1) + timedelta(minutes=number * 37 % 3_500_000)
        title = self.text(pick.randint(3, 7)).capitalize()
        sources = set(pick.choices(list(FUNDING_WEIGHTS), list(FUNDING_WEIGHTS.values()), k=pick.choice((1, 1, 2))))
        return SimpleNamespace(
            id=number, slug=f"pratica-{number}", title=title, summary=self.text(pick.randint(20, 35)),
            problem=self.text(15), intervention=self.text(pick.randint(30, 60)), lessons=self.text(10),
            transfer_conditions=self.text(10), kind="lesson" if pick.random() < 0.1 else "good_practice",
            primary_group=primary, secondary_groups=secondary, lead_region=region,
            lead_region_id=region.id, partner_regions=[p for p in partners if p is not region],
            target_values=sorted(set(pick.sample(TARGETS, pick.choice((1, 1, 2, 3))))),
            fundings=[SimpleNamespace(source=s, measure=f"Misura {s.upper()}{pick.randint(1, 9)}") for s in sorted(sources)],
            organisations=[SimpleNamespace(name=f"Cooperativa sociale {self.text(2)}")],
            indicators=[], evidence_level=pick.choices((1, 2, 3, 4), (50, 30, 15, 5))[0],
            confirmed_evidence_level=None, started_on=started, ended_on=ended,
            published_at=published, revised_at=published + timedelta(days=pick.randint(0, 400)),
            author_id=author_id,
        )


def reset_postgresql(url: str) -> str:
    """Create the database if missing, drop and recreate its public schema; return its URL."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{url.rsplit('/', 1)[0]}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return url


def practice_row(p: SimpleNamespace) -> dict:
    return {"id": p.id, "slug": p.slug, "title": p.title, "summary": p.summary, "problem": p.problem,
            "intervention": p.intervention, "lessons": p.lessons,
            "transfer_conditions": p.transfer_conditions, "kind": p.kind, "status": "published",
            "primary_group_id": p.primary_group.id, "lead_region_id": p.lead_region_id,
            "scale": "regional", "started_on": p.started_on, "ended_on": p.ended_on,
            "evidence_level": p.evidence_level, "evidence_justification": "",
            "contact_role": "", "contact_office": "", "contact_email_public": False,
            "author_id": p.author_id, "created_at": p.published_at, "revised_at": p.revised_at,
            "published_at": p.published_at, "demo": True}


def insert_batch(batch: list) -> None:
    """Insert a batch of practices, their parts and their index rows, as publication would."""
    from lab.extensions import db
    from lab.library import models
    from lab.library.index import (
        PracticeSearchEntry, PracticeSearchFacet, entry_row, facet_values, mark_changed,
    )

    parts = [
        (models.Practice, [practice_row(p) for p in batch]),
        (models.practice_groups,
         [{"practice_id": p.id, "group_id": g.id} for p in batch for g in p.secondary_groups]),
        (models.practice_partner_regions,
         [{"practice_id": p.id, "region_id": r.id} for p in batch for r in p.partner_regions]),
        (models.PracticeTarget,
         [{"practice_id": p.id, "target": t} for p in batch for t in p.target_values]),
        (models.PracticeFunding,
         [{"practice_id": p.id, "source": f.source, "measure": f.measure, "position": i}
          for p in batch for i, f in enumerate(p.fundings)]),
        (PracticeSearchEntry, [entry_row(p) for p in batch]),
        (PracticeSearchFacet, [{"facet": f, "value": v, "practice_id": p.id}
                               for p in batch for f, v in facet_values(p)]),
    ]
    for target, rows in parts:
        if rows:
            insert_rows(getattr(target, "__table__", target), rows)
    mark_changed()
    db.session.commit()


def insert_rows(table, rows: list[dict]) -> None:
    """Insert rows in bulk: COPY on PostgreSQL, Core executemany on SQLite.

    Building 10,000 practices on PostgreSQL took 12 s with COPY and 23 s with executemany (the
    ORM's bulk insert, on SQLite, took twice as long as executemany).
    """
    from sqlalchemy import insert

    from lab.extensions import db

    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[column] for column in columns])


def build(size: int, database: str, url: str | None, workdir: Path):
    """Migrate a fresh database and publish ``size`` synthetic practices into it and the index."""
    started = time.perf_counter()
    url = reset_postgresql(url or DEFAULT_PG) if database == "postgresql" else reset_sqlite(workdir, size)
    env = bench_environment(url, workdir)
    from flask_migrate import upgrade
    from sqlalchemy import select, text

    from config import database_url
    from lab import create_app
    from lab.accounts.models import Region
    from lab.extensions import db
    from lab.groups.themes import ensure_themes
    from lab.pact.keys import generate_key_file
    from tests.factories import make_person

    generate_key_file(Path(env["PACT_SIGNING_KEY"]))
    instance = Path(env["LAB_INSTANCE_DIR"])
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": database_url(url),
                                     "INSTANCE_DIR": instance, "UPLOAD_DIR": instance / "uploads",
                                     "MAIL_FILE_DIR": instance / "mail",
                                     "PACT_SIGNING_KEY": Path(env["PACT_SIGNING_KEY"])})
    with app.app_context():
        upgrade()
        groups = ensure_themes()
        regions = {r.slug: r for r in db.session.scalars(select(Region))}
        author = make_person("autrice@example.org", "Anna Autrice", "delegate", "piemonte")
        corpus = Corpus(vocabulary(), groups, regions)
        for first in range(1, size + 1, BATCH):
            insert_batch([corpus.practice(n, author.id)
                          for n in range(first, min(size, first + BATCH - 1) + 1)])
        if database == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))  # what autovacuum does after a bulk load
        db.session.remove()
        db.engine.dispose()
    log(f"  built {size} practices in {time.perf_counter() - started:.1f} s")
    return app, env, corpus


def stem_variant(words: list[str]) -> str:
    """A form absent from the corpus that only stemming connects to one of its words."""
    from lab.library.stemming import terms

    present = set(words)
    for word in words[40:300]:
        for ending in "aeio":
            variant = word[:-1] + ending
            if variant not in present and variant != word and terms(variant) == terms(word):
                return variant
    raise SystemExit("no stem variant found")


def queries(corpus: Corpus) -> list[tuple[str, dict]]:
    """At least ten realistic searches, from a rare word to facets only."""
    words, themes = corpus.words, corpus.theme_slugs
    return [
        ("one word", {"q": words[40]}),
        ("two words", {"q": f"{words[15]} {words[30]}"}),
        ("three words", {"q": " ".join(words[5:8])}),
        ("stem only", {"q": stem_variant(words)}),
        ("word + 2 facets", {"q": words[20], "region": "lombardia", "target": "older_people"}),
        ("facets only", {"theme": themes[1], "evidence": "2"}),
        ("no query, no facet", {}),
        ("rare word", {"q": words[-1]}),
        ("very common word", {"q": words[0]}),
        ("very common + facet", {"q": words[0], "region": "toscana"}),
        ("very common, newest, p5", {"q": words[0], "sort": "newest", "page": "5"}),
    ]


def naive(connection, params: dict, dialect: str):
    """The same search as LIKE '%word%' over the practices' own text, filters, count, page."""
    from sqlalchemy import text

    text_of = " || ' ' || ".join(["title", "summary", "problem", "intervention", "lessons",
                                  "transfer_conditions"])
    conditions, values = ["status = 'published'"], {}
    for number, word in enumerate(params.get("q", "").lower().split()):
        conditions.append(f"lower({text_of}) LIKE :w{number}")
        values[f"w{number}"] = f"%{word}%"
    if "region" in params:
        conditions.append("(lead_region_id = (SELECT id FROM regions WHERE slug = :region) OR id IN "
                          "(SELECT practice_id FROM practice_partner_regions JOIN regions ON "
                          "regions.id = region_id WHERE slug = :region))")
        values["region"] = params["region"]
    if "target" in params:
        conditions.append("id IN (SELECT practice_id FROM practice_targets WHERE target = :target)")
        values["target"] = params["target"]
    if "theme" in params:
        conditions.append("(primary_group_id = (SELECT id FROM groups WHERE slug = :theme) OR id IN "
                          "(SELECT practice_id FROM practice_groups JOIN groups ON groups.id = "
                          "group_id WHERE slug = :theme))")
        values["theme"] = params["theme"]
    if "evidence" in params:
        conditions.append("coalesce(confirmed_evidence_level, evidence_level) = :evidence")
        values["evidence"] = int(params["evidence"])
    where = " AND ".join(conditions)
    total = connection.execute(text(f"SELECT count(*) FROM practices WHERE {where}"), values).scalar()
    offset = (int(params.get("page", 1)) - 1) * 20
    connection.execute(text(f"SELECT id, title, summary FROM practices WHERE {where} "
                            f"ORDER BY published_at DESC, id DESC LIMIT 20 OFFSET {offset}"),
                       values).all()
    return total


def sql_facet_counts(params: dict) -> None:
    """Count the facet values of the query's matches in one grouped SQL query.

    What the in-memory bitsets replace, for the words only (the page also counts each chosen
    facet without its own choice, one query more per chosen facet): a lower bound of its cost.
    """
    from sqlalchemy import func, select

    from lab.extensions import db
    from lab.library.fulltext import FullText
    from lab.library.index import PracticeSearchFacet as Row
    from lab.library.stemming import terms

    counts = select(Row.facet, Row.value, func.count()).group_by(Row.facet, Row.value)
    if words := terms(params.get("q", "")):
        counts = counts.where(Row.practice_id.in_(FullText(words).ids()))
    db.session.execute(counts).all()


def timed(action, runs: int) -> list[float]:
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        walls.append((time.perf_counter() - started) * 1000)
    return walls


ANNOUNCED = re.compile(r'id="results-title">(\d+) pratich')


def ask(server: Server, path: str) -> tuple[float, int]:
    """GET one search page; return its wall time in ms and the number of practices it announces."""
    wall, status, body = fetch(server.base + path)
    if status != 200:
        raise SystemExit(f"GET {path}: status {status}")
    found = ANNOUNCED.search(body)
    if not found:
        raise SystemExit(f"GET {path}: no result count on the page")
    return wall * 1000, int(found.group(1))


def measure(server: Server, app, searches: list[tuple[str, dict]], requests: int,
            naive_runs: int) -> list[dict]:
    """Time every search through the server, then the naive scan and SQL facet counts in process.

    The timed requests go round the searches (one of each per round), so a burst of load on
    the shared machine falls on all of them rather than on the one being asked at the time.
    """
    from lab.extensions import db

    paths = ["/library" + ("?" + urlencode(params) if params else "") for _label, params in searches]
    cold, matches, walls = {}, {}, {path: [] for path in paths}
    for path in paths:
        for index in range(WARM_UP):
            wall, matches[path] = ask(server, path)
            cold.setdefault(path, wall)  # the first time it is asked: its matches not kept yet
    for _round in range(requests):
        for path in paths:
            walls[path].append(ask(server, path)[0])
    results = []
    with app.app_context(), db.engine.connect() as connection:
        for (label, params), path in zip(searches, paths):
            naive_total = naive(connection, params, db.engine.dialect.name)
            naive_walls = timed(lambda: naive(connection, params, db.engine.dialect.name), naive_runs)
            facet_walls = timed(lambda: sql_facet_counts(params), naive_runs)
            p50, naive_p50 = percentile(walls[path], 0.5), percentile(naive_walls, 0.5)
            results.append({
                "query": label, "path": path, "matches": matches[path], "naive_matches": naive_total,
                "cold_ms": round(cold[path], 1), "p50_ms": round(p50, 1),
                "p95_ms": round(percentile(walls[path], 0.95), 1),
                "naive_p50_ms": round(naive_p50, 1),
                "naive_p95_ms": round(percentile(naive_walls, 0.95), 1),
                "ratio": round(naive_p50 / p50, 1),
                "sql_facet_counts_p50_ms": round(percentile(facet_walls, 0.5), 1)})
        db.session.remove()
    return results


def after_a_publication(server: Server, app) -> float:
    """Change the index's version as a publication does; time the next search (it copies again)."""
    from lab.extensions import db
    from lab.library.index import mark_changed

    with app.app_context():
        mark_changed()
        db.session.commit()
        db.session.remove()
    return round(ask(server, "/library")[0], 1)


def judged(database: str, size: int, results: list[dict]) -> list[dict]:
    """Mark each query against the targets (p95 limit, 20 times the naive scan) at 100,000."""
    limit = P95_TARGET_MS[database] if size >= TARGET_SIZE else None
    for r in results:
        r["p95_target_ms"], r["ratio_target"] = limit, RATIO_TARGET if limit else None
        r["p95_met"] = r["p95_ms"] <= limit if limit else None
        r["ratio_met"] = r["ratio"] >= RATIO_TARGET if limit else None
    return results


def print_table(run: dict) -> None:
    results = run["queries"]
    log(f"\n{run['database']}, {run['size']} practices (load average before/after: "
        f"{run['load'][0]:.2f} / {run['load'][1]:.2f}); server start {run['start_ms']:.0f} ms, "
        "the index copied into memory before it listens; first search after a publication "
        f"{run['after_publication_ms']:.0f} ms:")
    header = (f"{'query':<26} {'matches':>7} {'cold ms':>7} {'p50 ms':>7} {'p95 ms':>7} {'LIKE p50':>9} "
              f"{'LIKE p95':>9} {'LIKE/p50':>8} {'SQL facets':>10}  path")
    log(header)
    log("-" * len(header))
    for r in results:
        log(f"{r['query']:<26} {r['matches']:>7} {r['cold_ms']:>7.1f} {r['p50_ms']:>7.1f} "
            f"{r['p95_ms']:>7.1f} {r['naive_p50_ms']:>9.1f} {r['naive_p95_ms']:>9.1f} "
            f"{r['ratio']:>7.1f}x {r['sql_facet_counts_p50_ms']:>10.1f}  {r['path']}")
    log(f"worst p95: {max(r['p95_ms'] for r in results):.1f} ms")


def report_rows(runs: list[dict]) -> list[dict]:
    """bench/report.py's rows: each query at each size, against the targets at 100,000."""
    rows = []
    for run in runs:
        where = f"{run['database']}, {run['size']:,} practices"
        for r in run["queries"]:
            target = (f"p95 ≤ {r['p95_target_ms']} ms, ≥ {RATIO_TARGET}×"
                      if r["p95_target_ms"] else "—")
            missed = [name for name, ok in (("p95", r["p95_met"]), ("ratio", r["ratio_met"]))
                      if ok is False]
            met = ("—" if r["p95_met"] is None else
                   f"NOT met ({', '.join(missed)})" if missed else "met")
            rows.append({"measure": f"Search p95 ({where}): {r['query']}",
                         "ours": f"{r['p95_ms']} ms (p50 {r['p50_ms']})",
                         "baseline": f"LIKE p50 {r['naive_p50_ms']} ms", "ratio": f"{r['ratio']}×",
                         "target": target, "met": met})
        rows.append({"measure": f"Search server start, index copied ({where})",
                     "ours": f"{run['start_ms']:.0f} ms", "baseline": "—", "ratio": "—",
                     "target": "—", "met": "—"})
        rows.append({"measure": f"First search after a publication, index copied again ({where})",
                     "ours": f"{run['after_publication_ms']:.0f} ms", "baseline": "—",
                     "ratio": "—", "target": "—", "met": "—"})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="sqlite, postgresql or both, comma-separated")
    parser.add_argument("--database-url", help=f"PostgreSQL database to use (default {DEFAULT_PG}); "
                        "its public schema is dropped")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--naive-runs", type=int, default=3)
    parser.add_argument("--json", action="store_true",
                        help="print one JSON document on stdout (the progress goes to stderr)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    if unknown := set(databases) - {"sqlite", "postgresql"}:
        parser.error(f"unknown database: {', '.join(sorted(unknown))}")
    workdir = Path(tempfile.mkdtemp(prefix="lab_bench_library_"))
    runs = []
    try:
        with contextlib.redirect_stdout(sys.stderr) if args.json else contextlib.nullcontext():
            for database in databases:
                for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
                    runs.append(run_size(database, size, args, workdir))
                    print_table(runs[-1])
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps({"rows": report_rows(runs), "runs": runs}, ensure_ascii=False))
    return 0


def run_size(database: str, size: int, args, workdir: Path) -> dict:
    """Build one database of ``size`` practices, start the server on it and time every query."""
    import os

    log(f"building {size} practices on {database} in {workdir} ...")
    app, env, corpus = build(size, database, args.database_url, workdir)
    before = os.getloadavg()[0]
    started = time.perf_counter()
    with Server(env, workdir, f"{database}_{size}", SERVER) as server:
        start_ms = (time.perf_counter() - started) * 1000
        results = measure(server, app, queries(corpus), args.requests, args.naive_runs)
        republished_ms = after_a_publication(server, app)
    return {"database": database, "size": size, "load": [before, os.getloadavg()[0]],
            "start_ms": round(start_ms), "after_publication_ms": republished_ms,
            "queries": judged(database, size, results)}


if __name__ == "__main__":
    sys.exit(main())
