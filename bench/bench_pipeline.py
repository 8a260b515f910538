"""``nianbao run`` on 10,000 generated reports (text and HTML): wall times of a full run and of a
no-change rerun, with the temporary Prefect server `nianbao run` starts by default, and against a
Prefect server started beforehand (so without the server start).

Targets on a 2-core machine (issue 3): full run <= 120 s, no-change rerun <= 10 s beyond the
server start.

    .venv/bin/python bench/bench_pipeline.py [--reports 10000] [--task-runner process]

The inbox is generated once under bench/out/ and reused. Full runs refresh the parse cache
(PREFECT_TASKS_REFRESH_CACHE), so that they parse every file, as a first run would.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from nianbao.generate.inbox import generate_inbox

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
PORT = 4297


def ensure_inbox(n: int) -> Path:
    """bench/out/inbox-<n>: 10 districts × 4 years, text and HTML, corrections, bad files."""
    root = OUT / f"inbox-{n}"
    done = root / ".complete"
    if not done.exists():
        started = time.perf_counter()
        generate_inbox(root, n, n_districts=10, n_years=4, seed=2024, layouts=("tsv", "html"),
                       resubmissions=n // 100, later_resubmissions=0)
        done.write_text("generated\n")
        print(f"generated {n} reports in {time.perf_counter() - started:.0f} s: {root}")
    return root


def timed_run(root: Path, db: Path, runner: str, env: dict[str, str]) -> tuple[float, str]:
    """Wall time of one ``nianbao run`` subprocess and its summary lines."""
    cmd = [sys.executable, "-m", "nianbao.cli", "run", "--inbox", str(root / "inbox"),
           "--db", str(db), "--registry", str(root / "registry" / "offices.csv"),
           "--task-runner", runner]
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"nianbao run failed:\n{result.stderr[-4000:]}")
    summary = [line for line in result.stdout.splitlines() if line.startswith(("files", "current"))]
    return wall, " | ".join(summary)


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen, float]:
    """``prefect server start`` in the background; returns it and its start-up time."""
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host",
                               "127.0.0.1", "--port", str(PORT)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{PORT}/api/health"
    while time.perf_counter() - started < 120:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return server, time.perf_counter() - started
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("the Prefect server did not start within 120 s")


def fresh_db(name: str) -> Path:
    folder = OUT / name
    subprocess.run(["rm", "-rf", str(folder)], check=True)
    return folder / "nianbao.duckdb"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reports", type=int, default=10_000)
    p.add_argument("--task-runner", default="thread", choices=("thread", "process", "dask"))
    args = p.parse_args()
    root = ensure_inbox(args.reports)
    base = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90"}
    base.pop("PREFECT_API_URL", None)
    cold = {"PREFECT_TASKS_REFRESH_CACHE": "true"}
    rows = []

    db = fresh_db("db-ephemeral")
    rows.append(("full run, temporary server", *timed_run(root, db, args.task_runner,
                                                          {**base, **cold})))
    rows.append(("no-change rerun, temporary server", *timed_run(root, db, args.task_runner,
                                                                 base)))
    with tempfile.TemporaryDirectory() as home:
        server_env = {**base, "PREFECT_HOME": home}
        server, startup = start_server(server_env)
        try:
            with_server = {**server_env, "PREFECT_API_URL": f"http://127.0.0.1:{PORT}/api"}
            db = fresh_db("db-server")
            rows.append(("full run, server already up",
                         *timed_run(root, db, args.task_runner, {**with_server, **cold})))
            rows.append(("no-change rerun, server already up",
                         *timed_run(root, db, args.task_runner, with_server)))
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(f"\n{args.reports} reports, task runner {args.task_runner}, {os.cpu_count()} cores; "
          f"`prefect server start` took {startup:.1f} s to answer")
    for label, wall, summary in rows:
        print(f"  {label:<36} {wall:7.1f} s   {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
