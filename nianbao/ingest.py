"""Ingest: walk the inbox, hash every file, keep new contents in the immutable raw store.

A file is known by the sha256 of its bytes. Content already stored (in the published database)
is skipped, wherever and under whatever name it turns up again. New content is copied into the
raw store at ``raw/<first two hex digits>/<sha256><extension>`` and never changed afterwards, so
``nianbao reparse`` can always read every submission again.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from nianbao.errors import NianbaoError


class InboxNotFound(NianbaoError):
    """The inbox folder of a run does not exist."""


@dataclass(frozen=True, slots=True)
class InboxFile:
    """One file of the inbox as this run found it."""

    source_path: str  # relative to the inbox, with '/'
    size: int
    mtime: datetime  # UTC, naive (DuckDB TIMESTAMP)
    sha256: str
    raw_path: str  # relative to the raw store


@dataclass(frozen=True)
class IngestPlan:
    seen: list[InboxFile]
    new: list[InboxFile]  # one per new content: the earliest received of its copies
    skipped: list[InboxFile]  # content already stored, or a second copy of new content


def list_inbox(inbox: Path) -> list[Path]:
    """Every file under the inbox, nested folders included, in path order. Hidden files and
    folders (``.DS_Store``, ``.git``) are not submissions.  A missing inbox is an error, not an
    empty night: a mistyped path must not pass for "nothing new"."""
    if not Path(inbox).is_dir():
        raise InboxNotFound(f"inbox folder not found: {inbox}")
    found = []
    for folder, dirs, files in os.walk(inbox):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(folder, f) for f in sorted(files) if not f.startswith(".")]
    return found


def raw_path_for(sha256: str, name: str) -> str:
    """Where content lives in the raw store; the extension is kept so readers can tell the
    format, and so a person browsing the store can open the file."""
    return f"{sha256[:2]}/{sha256}{Path(name).suffix.lower()}"


def ingest_inbox(inbox: Path, raw_dir: Path, known: set[str]) -> IngestPlan:
    """Hash every inbox file and copy content not yet stored into the raw store."""
    seen = []
    for path in list_inbox(inbox):
        data = path.read_bytes()
        stat = path.stat()
        sha256 = hashlib.sha256(data).hexdigest()
        relative = path.relative_to(inbox).as_posix()
        item = InboxFile(relative, len(data), _utc(stat.st_mtime_ns), sha256,
                         raw_path_for(sha256, path.name))
        if sha256 not in known:
            store_raw(data, raw_dir / item.raw_path)
        seen.append(item)
    return plan_ingest(seen, known)


def plan_ingest(seen: list[InboxFile], known: set[str]) -> IngestPlan:
    """Split what the inbox holds into new content and content to skip. Of several copies of
    the same new content, the one received first (oldest mtime, then path) is the submission."""
    new: dict[str, InboxFile] = {}
    skipped = []
    for item in sorted(seen, key=lambda f: (f.mtime, f.source_path)):
        if item.sha256 in known or item.sha256 in new:
            skipped.append(item)
        else:
            new[item.sha256] = item
    return IngestPlan(seen=seen, new=list(new.values()), skipped=skipped)


def store_raw(data: bytes, target: Path) -> None:
    """Write content to the raw store once: written under a temporary name, then renamed, so a
    killed run never leaves half a file under a content address."""
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    os.replace(partial, target)


def remove_partial_raw_files(raw_dir: Path) -> None:
    """Delete the temporary files a killed run left in the raw store."""
    if raw_dir.exists():
        for partial in raw_dir.glob("*/.*.partial"):
            partial.unlink(missing_ok=True)


_EPOCH = datetime(1970, 1, 1)


def _utc(mtime_ns: int) -> datetime:
    # Whole microseconds: DuckDB TIMESTAMP precision, so the value read back equals this one.
    return _EPOCH + timedelta(microseconds=mtime_ns // 1000)
