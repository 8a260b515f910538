"""Build hook: compile the text parser with mypyc (as black and mypy ship themselves).

The modules in ``COMPILED`` are plain, type-annotated Python; mypyc turns them into C extensions
that parse about 1.5x faster.  Everything else in ``pyproject.toml``.  Without a C compiler, or
with ``NIANBAO_PURE=1``, the package installs as pure Python and works the same, only slower
(``nianbao._accel`` reports which one is running).
"""

import os
import shutil
import sys

from setuptools import setup

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "nianbao"))
from _accel import COMPILED  # noqa: E402  (the one list of compiled modules)

sys.path.pop(0)


def _extensions():
    if os.environ.get("NIANBAO_PURE") == "1":
        return []
    if shutil.which(os.environ.get("CC", "cc")) is None:
        print("nianbao: no C compiler; installing the parser as pure Python", file=sys.stderr)
        return []
    from mypyc.build import mypycify

    # A type error in these modules fails the build: fix it rather than ship it uncompiled.
    # One shared library inside the package, so that an editable install finds it.
    return mypycify(["--ignore-missing-imports", "--follow-imports=silent",
                     *(f"nianbao/{rel}" for rel in COMPILED)],
                    opt_level="3", debug_level="0", group_name="nianbao._parser")


setup(ext_modules=_extensions())
