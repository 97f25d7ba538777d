"""Shared by the benchmark scripts: timing summaries and a printed table."""

from __future__ import annotations

import json
import platform
import statistics
from pathlib import Path


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary_ms(samples: list[float]) -> dict[str, float]:
    return {"p50_ms": percentile(samples, 50) * 1000, "p99_ms": percentile(samples, 99) * 1000,
            "mean_ms": statistics.fmean(samples) * 1000 if samples else float("nan")}


def machine() -> str:
    import os

    return f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"


def report(title: str, rows: list[tuple[str, str, str]], out: Path | None = None,
           data: dict | None = None) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"\n{title}  ({machine()})")
    print(f"{'measure'.ljust(width)}  {'result':>18}  goal")
    for name, value, goal in rows:
        print(f"{name.ljust(width)}  {value:>18}  {goal}")
    if out is not None and data is not None:
        out.write_text(json.dumps(data, indent=2, default=str))
