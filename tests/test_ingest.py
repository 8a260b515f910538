"""Ingest: walking the inbox, content addresses, and which copy of a file counts."""

from __future__ import annotations

import hashlib
import os

import pytest

from nianbao import ingest


def write(path, data: bytes, mtime: int):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))


def test_walks_nested_folders_and_skips_hidden_files(tmp_path):
    write(tmp_path / "a" / "b" / "r.txt", b"1", 10)
    write(tmp_path / ".git" / "x", b"2", 10)
    write(tmp_path / "a" / ".DS_Store", b"3", 10)
    assert [p.relative_to(tmp_path).as_posix() for p in ingest.list_inbox(tmp_path)] == [
        "a/b/r.txt"]


def test_new_content_is_stored_once_and_known_content_skipped(tmp_path):
    inbox, raw = tmp_path / "inbox", tmp_path / "raw"
    write(inbox / "2023" / "late.html", b"report", 2000)
    write(inbox / "copy" / "early.HTML", b"report", 1000)  # same bytes, received first
    write(inbox / "old.txt", b"seen before", 1000)
    known = {hashlib.sha256(b"seen before").hexdigest()}

    plan = ingest.ingest_inbox(inbox, raw, known)
    assert len(plan.seen) == 3
    assert [f.source_path for f in plan.new] == ["copy/early.HTML"]
    assert sorted(f.source_path for f in plan.skipped) == ["2023/late.html", "old.txt"]
    sha = hashlib.sha256(b"report").hexdigest()
    assert plan.new[0].raw_path == f"{sha[:2]}/{sha}.html"
    assert (raw / plan.new[0].raw_path).read_bytes() == b"report"
    assert not list(raw.rglob(f"{known.pop()}*"))  # known content is not copied again
    assert plan.new[0].mtime.year == 1970


def test_raw_files_are_never_rewritten_and_partials_are_cleared(tmp_path):
    target = tmp_path / "ab" / "abc.txt"
    ingest.store_raw(b"first", target)
    ingest.store_raw(b"second", target)
    assert target.read_bytes() == b"first"
    partial = tmp_path / "ab" / ".abc.txt.123.partial"
    partial.write_bytes(b"half")
    ingest.remove_partial_raw_files(tmp_path)
    assert not partial.exists() and target.exists()


def test_a_missing_inbox_is_an_error_not_an_empty_night(tmp_path):
    import subprocess
    import sys

    from nianbao.ingest import InboxNotFound, list_inbox

    with pytest.raises(InboxNotFound):
        list_inbox(tmp_path / "no-such-inbox")
    r = subprocess.run([sys.executable, "-m", "nianbao.cli", "run", "--inbox",
                        str(tmp_path / "no-such-inbox"), "--db", str(tmp_path / "x.duckdb")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip() == f"nianbao: inbox folder not found: {tmp_path / 'no-such-inbox'}"
