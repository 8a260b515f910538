"""All quality checks over 10,000 generated submissions, through the GX suite (target: <= 20 s on
the 2-core machine).

The store: offices of 20 districts, each with consecutive years 2021-2025 chained consistently
(carried_over = last year's carried_forward, in_force following issued and repealed), about 5 %
of submissions with a planted fault (a table-3 or table-4 cell changed, an unreadable cell, prose
disagreeing with table 3), a few reports missing and a few resubmissions. It is built once and
cached in ``bench/out/`` (not timed). Then ``quality.run_checks`` runs twice in this process:
*cold* (imports Great Expectations and opens the project, as the nightly flow's first check
does) and *warm* (context already open). Each step and each rule's SQL is timed.

    .venv/bin/python bench/bench_checks.py [--submissions 10000] [--rebuild]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the generators of the quality tests

import quality_cases as qc  # noqa: E402

from nianbao import quality, store  # noqa: E402

YEARS = [2021, 2022, 2023, 2024, 2025]
DISTRICTS = 20
FAULT_RATE = 0.05


def build(path: Path, submissions: int, seed: int = 7) -> dict[str, int]:
    """Write the store to ``path``; returns what was planted."""
    rng = random.Random(seed)
    n_offices = submissions // len(YEARS)
    stored: list[qc.Stored] = []
    offices = []
    planted = {"faults": 0, "missing": 0, "resubmitted": 0}
    for k in range(n_offices):
        office = f"第{k}街道办事处"
        district = f"第{k % DISTRICTS}区"
        offices.append((office, district, True))
        for i, report in enumerate(qc.chain(seed * 100_000 + k, office, YEARS)):
            if rng.random() < 0.01:
                planted["missing"] += 1
                continue
            fault = _plant(report, rng) if rng.random() < FAULT_RATE else None
            planted["faults"] += fault is not None
            parsed = qc.report_from_contract(report, k * 10 + i)
            if fault == "prose":
                parsed.narrative = re.sub(r"申请(\d+)件", lambda m: f"申请{int(m[1]) + 5}件",
                                          parsed.narrative).replace("未收到政府信息公开申请",
                                                                    "收到政府信息公开申请3件")
            stored.append(qc.Stored(parsed, office=office, district=district,
                                    mtime=qc.later(k * 10 + i)))
    # Resubmissions (in a later run) to reach the requested count.
    while len(stored) < submissions:
        again = rng.choice(stored)
        stored.append(qc.Stored(again.report, office=again.office, district=again.district,
                                run_seq=2, mtime=again.mtime))
        planted["resubmitted"] += 1
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        store.apply_schema(con)
        qc.load(con, stored, offices)
    return planted


def _plant(report: dict, rng: random.Random) -> str:
    """One fault in the report dict (the prose is changed after it is written)."""
    kind = rng.choice(("table3", "table3", "review", "unreadable", "prose"))
    if kind == "table3":
        row = rng.choice(("granted", "new_received", "carried_forward", "unavailable_not_held"))
        qc.bump(report, "applications", row, rng.choice([*qc.APPLICANTS, "total"]), 1)
    elif kind == "review":
        qc.bump(report, "review_litigation", "review", "total", 1)
    elif kind == "unreadable":
        report["active_disclosure"]["penalty"]["decisions"] = None
        report.setdefault("kinds", {})["active_disclosure.penalty.decisions"] = "text"
    return kind


def timed_run(db: Path, project: Path) -> tuple[float, quality.CheckResult]:
    start = time.perf_counter()
    with duckdb.connect(str(db)) as con:
        result = quality.run_checks(con, project_root=project)
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    db = out / f"checks_{args.submissions}.duckdb"
    if args.rebuild or not db.exists():
        start = time.perf_counter()
        planted = build(db, args.submissions)
        print(f"built {db.name} in {time.perf_counter() - start:.1f} s (not timed): {planted}")
    with duckdb.connect(str(db), read_only=True) as con:
        subs, cells = con.execute("SELECT (SELECT count(*) FROM submissions), "
                                  "(SELECT count(*) FROM cells)").fetchone()
    print(f"{subs:,} submissions, {cells:,} cells")

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copytree(quality.EXPECTATIONS_DIR / "gx", project / "gx",
                        ignore=shutil.ignore_patterns("uncommitted"))
        cold, result = timed_run(db, project)
        warm, result = timed_run(db, project)

    by_rule = result.violations.groupby(["rule", "severity"]).size()
    print("violations:", ", ".join(f"{rule} {n}" for (rule, _), n in by_rule.items()))
    print(f"status of current submissions: {result.status_counts}")
    print("warm run, seconds per step:")
    for step in ("prepare", "sql", "gx_context", "gx_validate", "write"):
        print(f"  {step:<12} {result.seconds[step]:6.2f}")
    rules = {k.removeprefix("rule:"): v for k, v in result.seconds.items() if k.startswith("rule:")}
    print("  rules: " + ", ".join(f"{k} {v:.2f}" for k, v in rules.items()))
    verdict = "OK" if cold <= 20 else "OVER TARGET"
    print(f"all checks over {subs:,} submissions: cold {cold:.1f} s (GX import included), "
          f"warm {warm:.1f} s; target 20 s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
