"""Run every benchmark at a size for this 2-core machine and print one Markdown table.

    .venv/bin/python bench/report.py                    # make bench; about 15 min when idle
    .venv/bin/python bench/report.py --only memory chaos

Each script runs as a subprocess with ``--json`` (its progress goes to the terminal, its figures
to stdout as one JSON document); every ratio is the median of 3 alternating runs (``--runs 3``),
except chaos, a verdict measured once. A script that is not there, or has no ``--json`` yet,
gives a "not run" row saying so; one that fails without figures gives its exit status. Some
scripts (pages, the cluster, the library's search, the events' registration burst) print
``{"rows": [{"measure", "ours", "baseline", "ratio", "target", "met"}, ...]}`` and their rows
are shown as they come. The time each script took and the load average around it are printed
after the table.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent

# Sizes meant to finish in about 15 minutes together on an idle 2-core machine; every script
# that compares with a baseline runs 3 alternating runs and reports their medians.
PAGES = ["--runs", "3", "--duration", "1"]
FANOUT = ["--sizes", "50", "200", "--seconds", "1", "--runs", "3"]
MEMORY = ["--connections", "300", "--runs", "3"]
CLUSTER = ["--size", "50", "--rate", "10", "--seconds", "5", "--runs", "3"]
CHAOS = ["--messages", "2000"]
VERIFY = ["--entries", "100000", "--runs", "3", "--profile", "never"]
SEARCH = ["--sizes", "10000", "--databases", "sqlite,postgresql", "--requests", "10"]
REGISTRATION = ["--people", "1000", "--clients", "100", "--runs", "3"]

elapsed: list[str] = []  # what each script took, and the load average around it


def run(script: str, *args: str) -> dict | str:
    """Run ``bench/<script> --json``; return its figures, or why there are none."""
    path = BENCH / script
    if not path.exists():
        return f"not run: {script} is not on this branch"
    if '"--json"' not in path.read_text():
        return f"not run: {script} has no --json on this branch"
    started, load = time.time(), os.getloadavg()[0]
    result = subprocess.run([sys.executable, str(path), *args, "--json"], cwd=BENCH.parent,
                            stdout=subprocess.PIPE, text=True)
    took = f"{script}: {time.time() - started:.0f} s (load average {load:.1f} → {os.getloadavg()[0]:.1f})"
    elapsed.append(took)
    print(took, file=sys.stderr, flush=True)
    lines = result.stdout.strip().splitlines()
    try:  # a script whose target was missed may exit non-zero with its figures
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return f"failed (exit {result.returncode}, no figures)"


def row(measure, ours, baseline, ratio, target, met) -> dict:
    return {"measure": measure, "ours": ours, "baseline": baseline, "ratio": ratio,
            "target": target, "met": met}


def met(value: float, limit: float, at_most: bool) -> str:
    return "met" if (value <= limit if at_most else value >= limit) else "NOT met"


def fanout(figures: dict) -> list[dict]:
    rows = []
    for size in figures["sizes"]:
        n, median, ms = size["size"], size["median"], size["median_figures"]
        ours, durable, echo = ms["ours"], ms["durable"], ms["echo"]
        runs = f"median of {len(size['runs'])}"
        p95, throughput = median["vs_durable"]["p95_ratio"], median["vs_durable"]["throughput_ratio"]
        # Clients dropped by an overloaded machine leave a phase with deliveries missing.
        lost = any(len(set(run[server]["fixed_deliveries"].split("/"))) > 1
                   for run in size["runs"] for server in ("durable", "echo", "ours"))
        verdict = (lambda value, limit, at_most: "invalid: deliveries missing") if lost else met
        rows += [
            row(f"Fan-out p95, room of {n}, vs durable bare at its half saturation ({runs})",
                f"{ours['p95_ms']} ms", f"{durable['p95_ms']} ms", f"{p95}×", "≤ 1.0×",
                verdict(p95, 1.0, True)),
            row(f"Fan-out p95, room of {n}, vs echo (the stack's limit)", f"{ours['p95_ms']} ms",
                f"{echo['p95_ms']} ms", f"{median['vs_echo']['p95_ratio']}×", "—", "—"),
            row(f"Fan-out saturation deliveries/s, room of {n}, vs durable bare ({runs})",
                f"{ours['deliveries_per_s']}", f"{durable['deliveries_per_s']}", f"{throughput}×",
                "≥ 1.5×", verdict(throughput, 1.5, False)),
            row(f"Fan-out saturation deliveries/s, room of {n}, vs echo",
                f"{ours['deliveries_per_s']}", f"{echo['deliveries_per_s']}",
                f"{median['vs_echo']['throughput_ratio']}×", "—", "—"),
        ]
    return rows


def memory(figures: dict) -> list[dict]:
    runs = f"median of {len(figures['runs'])}"
    return [row(f"Memory per idle signed-in connection ({figures['connections']}, {runs})",
                f"{figures['ours']['kib_per_connection']} KiB",
                f"{figures['bare']['kib_per_connection']} KiB (echo)", f"{figures['ratio']}×",
                "≤ 1.5×", met(figures["ratio"], 1.5, True))]


def chaos(figures: dict) -> list[dict]:
    return [row(f"Chaos: a process killed ({figures['target']} messages, two processes)",
                f"{figures['lost']} lost, {figures['duplicated']} duplicated, "
                f"{figures['out_of_order']} out of order, caught up in {figures['catch_up_max_s']} s",
                "", "", "0 lost, 0 duplicated, 0 out of order, ≤ 5 s",
                "met" if figures["passed"] else "NOT met")]


def verify(figures: dict) -> list[dict]:
    seconds = figures["command_median_s"]
    return [row(f"Pact: flask pact verify, {figures['entries']} entries, {figures['database']} (median of 3)",
                f"{seconds} s (start-up alone {figures['startup_median_s']} s)", "", "",
                f"< {figures['target_s']} s", met(seconds, figures["target_s"], True))]


def own_rows(figures: dict) -> list[dict]:
    """The rows of a script that reports its own."""
    return figures["rows"]


def pages(figures: dict) -> list[dict]:
    """Pages' rows, as bench/pages.py makes them (page, kind, ours, bare, ratio, target, met)."""
    return [row(
        f"Page `{r['page']}` ({r['kind']}), requests/s vs a bare Flask page (median of 3)",
        f"{r['ours']:.0f} ({r['ours_cpu_ms']:.2f} ms CPU)", f"{r['bare']:.0f} ({r['bare_cpu_ms']:.2f} ms CPU)",
        f"{r['ratio']:.3f}×", f"≥ {r['target']}×",
        "met" if r["met"] else "NOT met") for r in figures["rows"]]


# name: (script, its arguments, what its rows measure, its figures -> rows)
BENCHMARKS = {
    "pages": ("pages.py", PAGES, "Pages: requests/s against a bare Flask page", pages),
    "fanout": ("rooms_fanout.py", FANOUT, "Fan-out", fanout),
    "memory": ("rooms_memory.py", MEMORY, "Memory per idle signed-in connection", memory),
    "cluster": ("rooms_cluster.py", CLUSTER, "Two-process cluster: p95 against one process", own_rows),
    "chaos": ("rooms_chaos.py", CHAOS, "Chaos: a process killed", chaos),
    "verify": ("pact_verify.py", VERIFY, "Pact: flask pact verify", verify),
    "search": ("library_search.py", SEARCH, "Library: search", own_rows),
    "registration": ("events_registration.py", REGISTRATION, "Events: registration burst",
                     own_rows),
}


def rows_of(name: str) -> list[dict]:
    """Run one benchmark and return its rows, or one row saying why there are none."""
    script, args, measure, to_rows = BENCHMARKS[name]
    figures = run(script, *args)
    if isinstance(figures, str):
        return [row(measure, figures, "", "", "", "")]
    try:
        return to_rows(figures)
    except KeyError as missing:  # a script whose --json says something else than expected
        return [row(measure, f"not read: no {missing} in {script}'s figures", "", "", "", "")]


def table(rows: list[dict]) -> str:
    lines = ["| Measure | Ours | Baseline | Ratio | Target | Met |", "| --- | --- | --- | --- | --- | --- |"]
    columns = ("measure", "ours", "baseline", "ratio", "target", "met")
    lines += ["| " + " | ".join(str(r.get(k, "")) for k in columns) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), default=list(BENCHMARKS))
    args = parser.parse_args()
    started = time.time()
    rows = []
    for name in (name for name in BENCHMARKS if name in args.only):
        rows += rows_of(name)
        print(table(rows), file=sys.stderr, flush=True)  # so far, should the run be cut short
    print(table(rows))
    print("", *elapsed, f"{time.time() - started:.0f} s in all.", sep="\n")


if __name__ == "__main__":
    main()
