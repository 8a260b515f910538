"""The Prefect API a ``nianbao run`` talks to: ``PREFECT_API_URL`` when set, else a temporary
local server that dies with the run.

Prefect starts such a server by itself, but as a plain child process: when the run is killed by
SIGKILL (which the crash tests do, and an OOM killer may) that server is left running, one more
each time. Ours asks the kernel to stop it when its parent dies (Linux PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys

from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import PREFECT_API_URL, temporary_settings

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class _ServerDyingWithParent(SubprocessASGIServer):
    def _run_uvicorn_command(self) -> subprocess.Popen:
        original = subprocess.Popen

        def popen(*args, **kwargs):
            return original(*args, preexec_fn=_die_with_parent, **kwargs)

        subprocess.Popen = popen  # only around Prefect's one call that starts the server
        try:
            return super()._run_uvicorn_command()
        finally:
            subprocess.Popen = original


def use_prefect_api() -> None:
    """Point this process at the configured Prefect API, or at a temporary server of our own,
    for the rest of its life. The server is stopped at exit, after Prefect has sent its last
    logs and events (stopping it earlier leaves them retrying against a closed port)."""
    if PREFECT_API_URL.value() or not sys.platform.startswith("linux"):
        return
    server = _ServerDyingWithParent()
    server.start()  # registers server.stop with atexit
    temporary_settings({PREFECT_API_URL: server.api_url}).__enter__()
