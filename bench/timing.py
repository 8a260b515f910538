"""The timing loop the benchmarks share: throughput of a function over a set of files."""

from __future__ import annotations

import time
from collections.abc import Callable


def rate(files: list[tuple[str, bytes]], fn: Callable[[bytes, str], object], seconds: float,
         repeat: int, unit: Callable[[str, bytes], int] | None = None) -> list[float]:
    """Units per second (files, or what `unit` counts per file, e.g. pages), one figure per
    repeat; each repeat runs over all the files until at least `seconds` have passed."""
    units = sum(unit(name, data) for name, data in files) if unit else len(files)
    rates = []
    for _ in range(repeat):
        n = 0
        t0 = time.perf_counter()
        while True:
            for name, data in files:
                fn(data, name)
            n += units
            elapsed = time.perf_counter() - t0
            if elapsed >= seconds:
                break
        rates.append(n / elapsed)
    return rates
