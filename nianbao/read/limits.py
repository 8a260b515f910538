"""Limits that protect a run against hostile or broken files.

Checked before a library sees the bytes: the size of the file, the page count of a PDF, and for the
zip containers of .docx/.xlsx the member count, the total uncompressed size and the compression
ratio (all read from the zip's central directory, before anything is extracted), and finally that
no XML part declares a DOCTYPE or ENTITY (OOXML never needs one; refusing them rules out external
entities and entity expansion whatever parser reads the part later).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from nianbao.errors import FileTooLarge, UnreadableFile

MB = 1024 * 1024

MAX_FILE_BYTES = 50 * MB  # any input file
MAX_PDF_PAGES = 200
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_UNCOMPRESSED = 200 * MB  # sum of the members' uncompressed sizes
MAX_ZIP_RATIO = 100  # uncompressed / compressed, per member (members over RATIO_MIN_BYTES)
RATIO_MIN_BYTES = 1 * MB
MAX_XLSX_SHEET_BYTES = 20 * MB  # uncompressed worksheet XML (openpyxl holds every cell in memory)
MAX_CONVERT_SECONDS = 120  # LibreOffice conversion of a legacy .doc/.xls

_XML_SUFFIXES = (".xml", ".rels", ".vml")
# "<!DOCTYPE" / "<!ENTITY" in the encodings an XML part may use.
_FORBIDDEN = tuple(
    s.encode(enc) for s in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")
)
_CHUNK = 1 * MB


def check_size(data: bytes, what: str = "file") -> None:
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(
            f"{what} is {len(data) / MB:.1f} MB, over the limit of {MAX_FILE_BYTES // MB} MB"
        )


def check_pages(n: int) -> None:
    if n > MAX_PDF_PAGES:
        raise FileTooLarge(f"PDF has {n} pages, over the limit of {MAX_PDF_PAGES}")


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """Open an OOXML container after checking its directory and XML parts; raise typed errors."""
    check_size(data, what)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as e:
        raise UnreadableFile(f"corrupt {what} (not a valid zip container): {e}") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise FileTooLarge(f"{what} has {len(infos)} parts, over the limit of {MAX_ZIP_MEMBERS}")
    total = 0
    for info in infos:
        total += info.file_size
        if total > MAX_ZIP_UNCOMPRESSED:
            raise FileTooLarge(
                f"{what} would decompress to over {MAX_ZIP_UNCOMPRESSED // MB} MB (zip bomb?)"
            )
        if info.file_size > RATIO_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_ZIP_RATIO:
                raise FileTooLarge(
                    f"{what} part {info.filename} is compressed {ratio:.0f}:1, over the limit "
                    f"of {MAX_ZIP_RATIO}:1 (zip bomb?)"
                )
    for info in infos:
        if info.filename.lower().endswith(_XML_SUFFIXES):
            _check_xml_part(zf, info, what)
    return zf


def _check_xml_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> None:
    """Stream one part (bounded by the directory checks above) looking for DTD declarations.

    The actual number of bytes read is counted too: a lying directory entry cannot make us
    decompress more than it declared.
    """
    keep = max(len(s) for s in _FORBIDDEN)
    tail = b""
    read = 0
    try:
        with zf.open(info) as f:
            while True:
                chunk = f.read(_CHUNK)
                if not chunk:
                    break
                read += len(chunk)
                if read > info.file_size or read > MAX_ZIP_UNCOMPRESSED:
                    raise FileTooLarge(f"{what} part {info.filename} is larger than declared")
                buf = tail + chunk
                if any(s in buf for s in _FORBIDDEN):
                    raise UnreadableFile(
                        f"{what} part {info.filename} declares a DOCTYPE/ENTITY (refused: "
                        "external or expanding entities)"
                    )
                tail = buf[-keep:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError) as e:
        raise UnreadableFile(f"corrupt {what}: part {info.filename}: {e}") from None
    except RuntimeError as e:  # encrypted member
        raise UnreadableFile(f"{what} part {info.filename} cannot be read: {e}") from None
    except NotImplementedError as e:  # unsupported compression method
        raise UnreadableFile(f"{what} part {info.filename}: {e}") from None
