"""The nightly flow: ingest -> parse (batched) -> load -> check -> publish.

Each task is one call of a library function in ``nianbao.pipeline``; this file only decides what
runs where, what is retried (I/O only) and what is cached (parse batches, by content hash).
``nianbao run`` calls :func:`run_command`, ``nianbao serve`` :func:`serve_command`.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

from flows.settings import apply_prefect_defaults

apply_prefect_defaults()

from prefect import flow, task, unmapped  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402
from prefect.serializers import CompressedSerializer  # noqa: E402
from prefect.settings import PREFECT_LOCAL_STORAGE_PATH  # noqa: E402

from flows.server import use_prefect_api  # noqa: E402
from nianbao import ingest, pipeline  # noqa: E402
from nianbao.errors import NianbaoError, TransientError  # noqa: E402
from nianbao.ingest import InboxNotFound  # noqa: E402
from nianbao.registry import Registry  # noqa: E402

DEFAULT_REGISTRY = Path("data/registry/offices.csv")


def _is_io_error(task, task_run, state) -> bool:
    """Retry a task only when it failed on I/O; a bad file or a bug fails the same way again."""
    error = state.result(raise_on_failure=False)
    return isinstance(error, OSError | TransientError)


IO_RETRIES = {"retries": 2, "retry_delay_seconds": 2, "retry_condition_fn": _is_io_error}


@task(name="prepare", cache_policy=NO_CACHE, **IO_RETRIES)
def prepare(run: pipeline.RunInfo) -> pipeline.Prepared:
    return pipeline.prepare_run(run)


@task(name="ingest", cache_policy=NO_CACHE, **IO_RETRIES)
def ingest_inbox(inbox: Path, run: pipeline.RunInfo, known: set[str]) -> ingest.IngestPlan:
    plan = ingest.ingest_inbox(inbox, run.raw_dir, known)
    pipeline.crash_point("ingest.stored")
    return plan


def _parse_key(context, parameters) -> str:
    return pipeline.parse_cache_key(parameters["items"], parameters["version"])


# The cached readings of a batch: pickled DataFrames are about 3 MB per 100 reports, zlib makes
# them a tenth of that (lzma, Prefect's default, is several times slower for little gain).
PARSE_CACHE = CompressedSerializer(serializer="pickle", compressionlib="zlib")


@task(name="parse-batch", cache_key_fn=_parse_key,
      cache_expiration=timedelta(days=pipeline.PARSE_CACHE_DAYS),
      persist_result=True, result_serializer=PARSE_CACHE, **IO_RETRIES)
def parse_batch(items: list[pipeline.ParseItem], version: str) -> pipeline.ParsedBatch:
    # `version` is only part of the cache key: a new reader must not reuse old readings.
    return pipeline.parse_batch(items)


@task(name="load", cache_policy=NO_CACHE)
def load(run: pipeline.RunInfo, run_seq: int, received: list[pipeline.Received],
         parsed: list[pipeline.ParsedBatch], registry_path: str | None,
         plan: ingest.IngestPlan | None) -> int:
    return pipeline.load(run, run_seq, received, parsed, Registry.load(registry_path), plan)


@task(name="check", cache_policy=NO_CACHE)
def check(run: pipeline.RunInfo) -> None:
    pipeline.run_checks(run)


@task(name="publish", cache_policy=NO_CACHE, **IO_RETRIES)
def publish(run: pipeline.RunInfo) -> dict[str, int]:
    return pipeline.publish(run)


@flow(name="nianbao-nightly")
def nightly(inbox: str, db: str, publish_dir: str | None = None, registry: str | None = None,
            batch_size: int = pipeline.DEFAULT_BATCH_SIZE,
            reparse: bool = False, rollup_policy: str = "consistent") -> pipeline.RunSummary:
    """Ingest the inbox into the database and publish it (``reparse``: read every stored file
    again instead, with the current reader)."""
    db_path = Path(db).resolve()
    run = pipeline.RunInfo(
        run_id=str(flow_run.id or uuid4()),
        db=db_path,
        raw_dir=db_path.parent / "raw",
        publish_dir=Path(publish_dir).resolve() if publish_dir else db_path.parent / "publish",
        started_at=pipeline.utc_now(),
        reader_version=pipeline.reader_version(),
        mode="reparse" if reparse else "run",
        inbox=str(Path(inbox).resolve()) if inbox else "",
        rollup_policy=rollup_policy,
        fingerprint=pipeline.inputs_fingerprint(registry, rollup_policy),
    )
    with pipeline.run_lock(db_path):
        prepared = prepare(run)
        plan = None
        if reparse:
            received = pipeline.received_before(run)
        else:
            plan = ingest_inbox(Path(inbox), run, prepared.known)
            if pipeline.is_up_to_date(run, prepared, plan):
                return pipeline.RunSummary.of(plan, [], 0, pipeline.keep_published(run))
            received = pipeline.received_now(plan, run, prepared.run_seq)
        chunks = pipeline.batches(pipeline.parse_items(received, run.raw_dir), batch_size)
        futures = parse_batch.map(chunks, version=unmapped(run.reader_version))
        parsed = [f.result() for f in futures]
        quarantined = load(run, prepared.run_seq, received, parsed, registry, plan)
        check(run)
        status_counts = publish(run)
        # expired readings: deleted here, by this machine (remote workers keep their own)
        pipeline.prune_parse_cache(Path(PREFECT_LOCAL_STORAGE_PATH.value()))
    return pipeline.RunSummary.of(plan, received, quarantined, status_counts)


def task_runner_for(kind: str, address: str | None = None):
    """The runner of the parse tasks: threads (default), processes, or a Dask cluster (a local
    one, or the scheduler at ``address``) for when one machine is not enough. Remote Dask
    workers read the raw store and write the parse cache (PREFECT_LOCAL_STORAGE_PATH) by path:
    both must be on a filesystem they share with this machine."""
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    if kind == "process":
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=os.cpu_count())
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=os.cpu_count())


def _registry_arg(args: argparse.Namespace) -> str | None:
    if args.registry:
        return args.registry
    return str(DEFAULT_REGISTRY.resolve()) if DEFAULT_REGISTRY.exists() else None


def run_command(args: argparse.Namespace) -> int:
    """``nianbao run`` / ``nianbao reparse``: one run of the flow, then its summary."""
    reparse = args.command == "reparse"
    if not reparse and not Path(args.inbox).is_dir():
        raise InboxNotFound(f"inbox folder not found: {args.inbox}")  # before any server starts
    runner = task_runner_for(args.task_runner, getattr(args, "dask_address", None))
    use_prefect_api()
    try:
        summary = nightly.with_options(task_runner=runner)(
            inbox="" if reparse else args.inbox, db=args.db, publish_dir=args.publish,
            registry=_registry_arg(args), batch_size=args.batch_size, reparse=reparse,
            rollup_policy=args.rollup_policy)
    except NianbaoError:
        raise  # the command line prints it in one line
    except Exception as e:  # the flow has logged the traceback; the published file is unchanged
        print(f"nianbao: the run failed ({type(e).__name__}: {e}); "
              "the published database was left as it was", file=sys.stderr)
        return 1
    db = Path(args.db).resolve()
    publish_dir = Path(args.publish).resolve() if args.publish else db.parent / "publish"
    for line in summary.lines():
        print(line)
    print(f"published: {db} (DuckDB: query with `nianbao sql --db {db} \"SELECT …\"`)")
    print(f"           {publish_dir}/dashboard.html (quality dashboard), notices/ (整改提示单), "
          "*.parquet and *.csv (views and rollups)")
    return 0


def serve_command(args: argparse.Namespace) -> int:
    """``nianbao serve``: run the flow on a schedule against a running Prefect server."""
    from prefect.schedules import Cron
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        print("nianbao serve needs a Prefect server: run `prefect server start` and set "
              "PREFECT_API_URL=http://127.0.0.1:4200/api", file=sys.stderr)
        return 2
    nightly.serve(
        name="nianbao-nightly",
        schedules=[Cron(args.cron, timezone=args.timezone)],
        parameters={"inbox": str(Path(args.inbox).resolve()), "db": str(Path(args.db).resolve()),
                    "publish_dir": args.publish, "registry": _registry_arg(args),
                    "rollup_policy": args.rollup_policy,
                    "batch_size": args.batch_size},
    )
    return 0
