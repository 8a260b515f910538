"""Plain text and Markdown: decode (UTF-8 with or without BOM, GBK/GB18030, detected) and cut
lines into cells (tabs of a web-page copy, `|` of Markdown and pipe tables)."""

from __future__ import annotations

import re

from nianbao.errors import UnreadableFile
from nianbao.read.rows import Row

_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HTML_HINT = re.compile(rb"<(html|body|table|div|p|tr|td|span|meta)[\s>]|<!doctype html", re.I)
_HTML_TEXT_HINT = re.compile(r"<(html|body|table|div|tr|td)[\s>]|<!doctype html", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_BR = re.compile(r"<br\s*/?>", re.I)
_MD_PREFIX = re.compile(r"^\s*(#{1,6}\s+|>\s*|[*-]\s+(?=\S))")
_CELLS_ONLY = re.compile(r"[\s\d\-—–―─/\\.,，０-９－无]+")


def decode_text(data: bytes, name: str = "") -> str:
    """Text of the bytes; the encoding is detected, never assumed."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(data[3:].decode("utf-8", errors="replace"), name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _checked(data.decode("utf-16", errors="replace"), name)
    if b"\x00" in data[:4096]:
        raise UnreadableFile("binary data, not a text document", name)
    try:
        return _checked(data.decode("utf-8"), name, data)
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    for enc in filter(None, (declared, "gb18030")):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        return _checked(text, name, data if enc == "gb18030" else None)
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise UnreadableFile("binary data, not a text document", name)
    return _checked(data.decode(best.encoding, errors="replace"), name)


def _declared_charset(data: bytes) -> str | None:
    m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", data[:4096])
    if not m:
        return None
    enc = m.group(1).decode("ascii").lower()
    return "gb18030" if enc in ("gb2312", "gbk", "gb18030", "x-gbk") else enc


def _checked(text: str, name: str, data: bytes | None = None) -> str:
    """The text, unless it looks like binary data or a wrong encoding.  `data`: the bytes it was
    decoded from by UTF-8 or GB18030, where a control byte is always the control character."""
    if (data is not None and len(data.translate(None, _CONTROL_BYTES)) == len(data)
            and text.find("\ufffd", 0, 20_000) < 0):
        return text  # (no control character at all: the quick answer)
    sample = text[:20_000]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 50):
        raise UnreadableFile("binary data or a wrong encoding: too many control characters", name)
    return text


def looks_like_html(text: str) -> bool:
    return bool(_HTML_TEXT_HINT.search(text[:20_000]))


def read_text_rows(text: str) -> list[Row]:
    rows: list[Row] = []
    append = rows.append
    for i, line in enumerate(text.splitlines(), 1):
        if "\t" not in line and "|" not in line and "<" not in line:  # prose (the common case)
            lead = line[:1]
            if lead in "#>*-" or lead.isspace():
                line = _unprefixed(line)
            append(Row([line], f"line {i}"))
            continue
        if "<" in line:
            line = _BR.sub(" ", line)  # Markdown converters keep line breaks inside cells as <br>
        if "\t" in line:
            rows.append(Row(line.split("\t"), f"line {i}", True))
            continue
        if "|" in line:
            s = line.strip()
            if _MD_SEPARATOR.match(s):
                continue
            if s.startswith("|"):
                # Markdown's outer pipes (the row may be indented), or a pipe copy whose first or
                # last cell is blank
                rows.append(Row([c.strip() for c in s.split("|")], f"line {i} |", True, True))
                continue
            # a pipe-separated copy: an empty first or last cell is a real (blank) cell
            rows.append(Row([c.strip() for c in line.split("|")], f"line {i} |", True))
            continue
        rows.append(Row([_unprefixed(line)], f"line {i}"))
    return rows


def _unprefixed(line: str) -> str:
    """The line without its Markdown heading, quote or bullet mark; but a line of nothing but
    cells keeps a leading dash ("- - 1 0 …": a text copy of a table, not a bullet)."""
    if _CELLS_ONLY.fullmatch(line):
        return line
    return _MD_PREFIX.sub("", line)
