"""Prefect settings nianbao relies on, as defaults the environment can override.

Applied before Prefect is imported (Prefect reads its settings at import). The same values are in
``prefect.toml`` for runs started from the repository folder.
"""

from __future__ import annotations

import os

PREFECT_DEFAULTS = {
    # Telemetry off: it is also what prints the 'database is locked' lines (../shared/STACK.md).
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # The temporary local server takes 7-15 s to start here; the default 20 s is too tight.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def apply_prefect_defaults() -> None:
    for name, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)
