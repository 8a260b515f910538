"""Whether the text parser runs compiled (mypyc, built by ``setup.py``) or as plain Python.

The compiled modules are C extensions built from the same ``.py`` files and placed beside them,
where Python imports them first.  A build older than its source would silently run old code, so
when any source is newer than its extension (an edit after ``make setup``), or when
``NIANBAO_PURE=1`` is set, every compiled module is imported from its source instead: the
modules call each other directly once compiled, so they are never mixed.
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
import warnings
from importlib.util import spec_from_file_location

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))

# Paths relative to the package; setup.py compiles exactly these.
COMPILED = (
    "model.py",
    "parse/__init__.py",
    "parse/digits.py",
    "parse/labels.py",
    "parse/tables.py",
    "parse/title.py",
    "parse/tokens.py",
    "read/rows.py",
    "read/text.py",
)


def _module_name(rel: str) -> str:
    name = "nianbao." + rel[:-3].replace("/", ".")
    return name.removesuffix(".__init__")


_SOURCES = {_module_name(rel): os.path.join(PACKAGE_DIR, rel) for rel in COMPILED}


def _extension(source: str) -> str | None:
    base = source[:-3]
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        if os.path.exists(base + suffix):
            return base + suffix
    return None


def build_state() -> str:
    """``compiled``, ``pure`` (not built) or ``stale`` (a source edited after the build)."""
    extensions = [_extension(src) for src in _SOURCES.values()]
    if not any(extensions):
        return "pure"
    for src, ext in zip(_SOURCES.values(), extensions, strict=True):
        if ext is None or os.path.getmtime(src) > os.path.getmtime(ext):
            return "stale"
    return "compiled"


def parser_mode() -> str:
    """How the parser runs in this process: ``compiled`` or ``pure``."""
    module = sys.modules.get("nianbao.parse.tokens")
    if module is None:
        import nianbao.parse.tokens as module
    return "pure" if (module.__file__ or "").endswith(".py") else "compiled"


class _FromSource:
    """Meta-path finder that imports the compiled modules from their ``.py`` files."""

    @staticmethod
    def find_spec(fullname: str, path=None, target=None):
        source = _SOURCES.get(fullname)
        return None if source is None else spec_from_file_location(fullname, source)


def install() -> None:
    state = build_state()
    pure = os.environ.get("NIANBAO_PURE") == "1"
    if state == "compiled" and not pure:
        return
    if state == "stale" and not pure:
        warnings.warn("nianbao: the compiled parser is older than its source; running the "
                      "source instead (run `make setup` to rebuild it)", stacklevel=2)
    if state != "pure" and not any(isinstance(f, _FromSource) for f in sys.meta_path):
        sys.meta_path.insert(0, _FromSource())
