"""Fuzzing: whatever bytes come in, ``parse_bytes`` returns a Report or raises a NianbaoError.

Real reports from ``../shared/corpus`` and generated ones are cut, shuffled, sprinkled with junk,
re-encoded wrongly; empty and pure binary inputs are thrown in too.  Any exception other than a
:class:`~nianbao.errors.NianbaoError` fails, and so does a Report whose contract cannot be made.
"""

from __future__ import annotations

import json
import random
import signal
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.errors import NianbaoError
from nianbao.generate import ENCODINGS, LAYOUTS, kinds_for, random_report, render_file
from nianbao.model import Report

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"
SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".xlsx"}
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PARSE_SECONDS = 30  # a parse that takes longer is a hang (a run must go on to the next file)


def _parse_bytes():
    try:
        from nianbao.parse import parse_bytes
    except ImportError:
        pytest.skip("nianbao.parse.parse_bytes is not there yet")
    return parse_bytes


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in SUFFIXES)


@contextmanager
def _time_limit(seconds: int):
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def hang(signum, frame):
        raise TimeoutError(f"parse_bytes ran over {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def parses_or_refuses(data: bytes, name: str) -> None:
    """The property: a Report with a serialisable contract, or a NianbaoError, in bounded time."""
    parse_bytes = _parse_bytes()
    try:
        with _time_limit(PARSE_SECONDS):
            report = parse_bytes(data, name)
    except NianbaoError:
        return
    assert isinstance(report, Report)
    json.dumps(report.to_contract(), ensure_ascii=False)


# --- mutations -----------------------------------------------------------------------------------

def _cut(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(0, len(data))]


def _cut_middle(data: bytes, rng: random.Random) -> bytes:
    i, j = sorted(rng.randint(0, len(data)) for _ in range(2))
    return data[:i] + data[j:]


def _shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    rng.shuffle(lines)
    return b"\n".join(lines)


def _junk(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        i = rng.randint(0, len(out))
        out[i:i] = junk
    return bytes(out)


def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 50)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _wrong_encoding(data: bytes, rng: random.Random) -> bytes:
    """The text re-encoded or mis-decoded: GBK bytes of a UTF-8 document, mojibake, UTF-16."""
    text = data.decode("utf-8", errors="replace")
    how = rng.choice(("gbk", "mojibake", "utf-16", "latin", "gbk_as_utf8"))
    if how == "gbk":
        return text.encode("gbk", errors="replace")
    if how == "mojibake":
        return data.decode("gbk", errors="replace").encode("utf-8", errors="replace")
    if how == "utf-16":
        return text.encode(rng.choice(("utf-16", "utf-16-le", "utf-16-be")))
    if how == "latin":
        return data.decode("latin-1").encode("utf-8")
    return text.encode("gbk", errors="replace").decode("utf-8", errors="replace").encode()


def _control_chars(data: bytes, rng: random.Random) -> bytes:
    """C0 control characters (NUL, VT, ESC...) inside the text, as broken exports leave them."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 10)):
        i = rng.randint(0, len(out))
        out[i:i] = bytes([rng.choice((0, 1, 2, 7, 8, 11, 12, 14, 27, 31))])
    return bytes(out)


def _digit_storm(data: bytes, rng: random.Random) -> bytes:
    """Long runs of digits, the worst case for splitting digits printed run together."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        run = "".join(rng.choice("0123456789１０ ") for _ in range(rng.randint(20, 400)))
        i = rng.randint(0, len(out))
        out[i:i] = run.encode("utf-8")
    return bytes(out)


def _duplicate(data: bytes, rng: random.Random) -> bytes:
    i, j = sorted(rng.randint(0, len(data)) for _ in range(2))
    return data[:j] + data[i:j] + data[j:]


def _repeat_tables(data: bytes, rng: random.Random) -> bytes:
    return data * rng.randint(2, 3)


MUTATIONS = (_cut, _cut_middle, _shuffle_lines, _junk, _flip, _wrong_encoding, _control_chars,
             _digit_storm, _duplicate, _repeat_tables)


def _mutate(data: bytes, seed: int, steps: int) -> bytes:
    rng = random.Random(seed)
    for _ in range(steps):
        data = rng.choice(MUTATIONS)(data, rng)
    return data


# --- the tests -----------------------------------------------------------------------------------

@pytest.mark.corpus
@FUZZ
@given(index=st.integers(0, 10**6), seed=st.integers(0, 2**32 - 1), steps=st.integers(1, 3))
def test_mutated_real_reports(index, seed, steps):
    files = _corpus_files()
    if not files:
        pytest.skip(f"no corpus at {CORPUS}")
    path = files[index % len(files)]
    parses_or_refuses(_mutate(path.read_bytes(), seed, steps), path.name)


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), layout=st.sampled_from(LAYOUTS),
       fmt=st.sampled_from(("2021", "2019")), encoding=st.sampled_from(ENCODINGS),
       steps=st.integers(1, 3))
def test_mutated_generated_reports(seed, layout, fmt, encoding, steps):
    rng = random.Random(seed)
    report = random_report(rng, fmt, kinds=kinds_for(layout))
    name, data = render_file(report, layout, rng, encoding)
    parses_or_refuses(_mutate(data, seed, steps), name)


@FUZZ
@given(data=st.binary(max_size=4096),
       name=st.sampled_from(("a.txt", "a.md", "a.html", "a.pdf", "a.docx", "a.xlsx", "a", "")))
def test_pure_binary(data, name):
    parses_or_refuses(data, name)


# Not the OLE signature (legacy .doc/.xls): those go to LibreOffice, seconds per file; the
# degenerate cases below try it once.
MAGIC = (b"%PDF-1.7\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>", b"{\\rtf1")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@FUZZ
@given(magic=st.sampled_from(MAGIC), tail=st.binary(max_size=2048),
       name=st.sampled_from(("a.txt", "a.html", "a.pdf", "a.docx", "a.xlsx", "a.doc")))
def test_magic_numbers_with_junk(magic, tail, name):
    parses_or_refuses(magic + tail, name)


def test_legacy_office_signature_with_junk():
    parses_or_refuses(OLE + b"\x00" * 504 + b"junk", "a.doc")


@pytest.mark.parametrize("data", [
    b"", b" ", b"\n\n\n", b"\x00" * 64, b"\xef\xbb\xbf", "政府信息公开工作年度报告".encode(),
    "三、收到和处理政府信息公开申请情况\n".encode() * 3,
    "<html><body><table><tr><td>总计</td></tr></table></body></html>".encode(),
])
@pytest.mark.parametrize("name", ["x.txt", "x.html", "x.md", "x.pdf", "x.docx"])
def test_empty_and_degenerate(data, name):
    parses_or_refuses(data, name)


@pytest.mark.corpus
@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "gb18030"])
def test_real_text_reports_in_other_encodings(encoding):
    files = [p for p in _corpus_files() if p.suffix in (".txt", ".md", ".html")]
    if not files:
        pytest.skip(f"no corpus at {CORPUS}")
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        parses_or_refuses(text.encode(encoding, errors="replace"), path.name)


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), layout=st.sampled_from(LAYOUTS),
       encoding=st.sampled_from(ENCODINGS))
def test_control_characters(seed, layout, encoding):
    rng = random.Random(seed)
    report = random_report(rng, rng.choice(("2021", "2019")),
                           kinds=kinds_for(layout))
    name, data = render_file(report, layout, rng, encoding)
    parses_or_refuses(_control_chars(data, rng), name)
