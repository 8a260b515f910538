"""Shared fixtures. ``prefect_server`` starts one temporary Prefect server for the whole session
(about 10 s), and only for the tests that ask for it; every other test runs without Prefect."""

from __future__ import annotations

import pytest

from flows.settings import apply_prefect_defaults


@pytest.fixture(scope="session")
def prefect_server():
    """A temporary Prefect API for flows run in this process; yields its URL so that tests can
    hand it to ``nianbao run`` subprocesses (which then skip starting a server of their own)."""
    apply_prefect_defaults()
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield PREFECT_API_URL.value()
