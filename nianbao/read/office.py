"""Legacy Office files (.doc, .wps, .xls, .et): converted to .docx/.xlsx by LibreOffice.

``soffice --headless --convert-to`` runs in a temporary directory with its own user profile (so
conversions do not fight over a shared profile lock), under a timeout; its process group is
killed when the timeout expires.  Without LibreOffice the file is refused with a clear reason.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from nianbao.errors import UnreadableFile, UnsupportedFormat
from nianbao.read import limits

_TARGETS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML",
            "pdf": "pdf"}
# The suffix LibreOffice is given: Kingsoft .wps/.et are Word/Excel binary files in practice.
_SUFFIX = {".doc": ".doc", ".wps": ".doc", ".dot": ".doc", ".rtf": ".rtf", ".xls": ".xls",
           ".et": ".xls", ".xlt": ".xls", ".docx": ".docx", ".xlsx": ".xlsx", ".odt": ".odt",
           ".ods": ".ods"}


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_legacy(data: bytes, name: str, target: str, timeout: float | None = None) -> bytes:
    """Bytes of a legacy file -> bytes of the `target` format ("docx", "xlsx" or "pdf")."""
    if target not in _TARGETS:
        raise ValueError(f"unknown target {target!r}")
    suffix = Path(name).suffix.lower() or (".xls" if target == "xlsx" else ".doc")
    kind = "Excel" if suffix in (".xls", ".et", ".xlt") else "Word"
    exe = soffice_path()
    if exe is None:
        raise UnsupportedFormat(
            f"legacy {kind} file ({suffix}); LibreOffice is not installed to convert it"
        )
    limits.check_size(data, f"{suffix} file")
    timeout = limits.MAX_CONVERT_SECONDS if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        src = Path(tmp) / ("input" + _SUFFIX.get(suffix, suffix))
        src.write_bytes(data)
        outdir = Path(tmp) / "out"
        outdir.mkdir()
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nologo", "--nodefault", "--nolockcheck", "--convert-to", _TARGETS[target],
               "--outdir", str(outdir), str(src)]
        env = dict(os.environ, HOME=tmp)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try:
            log, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise UnreadableFile(
                f"conversion of the {suffix} file by LibreOffice timed out after {timeout:g} s"
            ) from None
        outs = list(outdir.glob(f"*.{target}"))
        if proc.returncode != 0 or not outs or outs[0].stat().st_size == 0:
            detail = (log or b"").decode("utf-8", "replace").strip().splitlines()
            raise UnreadableFile(
                f"LibreOffice could not convert the {suffix} file"
                + (f": {detail[-1]}" if detail else "")
            )
        return outs[0].read_bytes()


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        pass
