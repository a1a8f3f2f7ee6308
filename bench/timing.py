"""Small timing helpers for the benchmark: medians and p95, a guard against runaway calls,
and peak memory (max RSS) of this process."""

from __future__ import annotations

import os
import resource
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any


class Timeout(Exception):
    """A call ran past its guard; it goes on in a daemon thread and may disturb what follows."""


def guarded(fn: Callable[[], Any], seconds: float) -> Any:
    """``fn()`` in a daemon thread, waiting at most ``seconds`` (a call cannot be killed)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as e:  # handed to the caller
            box["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        raise Timeout(f"still running after {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def clock(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall s, CPU s of this process, value) of ``fn()``: the CPU time beside the wall time
    tells a slow call from a busy machine."""
    started, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - started, time.process_time() - cpu, value


def _p95(ms: list[float]) -> float:
    return ms[min(len(ms) - 1, max(0, round(0.95 * len(ms)) - 1))]


def summary(seconds: list[float], cpu: list[float] | None = None) -> dict[str, Any]:
    """n, median, p95, min and max in milliseconds; with ``cpu`` (seconds, one per call) also
    the CPU median and p95, and the 1-minute load average when the summary is made."""
    if not seconds:
        return {"n": 0}
    ms = sorted(s * 1000 for s in seconds)
    out = {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(_p95(ms), 3),
        "min_ms": round(ms[0], 3),
        "max_ms": round(ms[-1], 3),
    }
    if cpu:
        c = sorted(s * 1000 for s in cpu)
        out["cpu_median_ms"] = round(statistics.median(c), 3)
        out["cpu_p95_ms"] = round(_p95(c), 3)
        out["load_avg"] = round(os.getloadavg()[0], 2)
    return out


def repeat(fn: Callable[[], Any], n: int, budget: float | None = None) -> dict[str, Any]:
    """Time ``fn`` ``n`` times (fewer if ``budget`` seconds run out); the summary."""
    times = []
    started = time.perf_counter()
    for _ in range(n):
        times.append(clock(fn)[0])
        if budget is not None and time.perf_counter() - started > budget:
            break
    return summary(times)


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
