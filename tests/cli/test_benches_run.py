"""The benchmarks still run, at a tiny size: a catalog or API change must not leave `make bench`
broken for the next person who wants figures. These check that they finish and print their
ratio line, never a figure (figures are the bench's job, not a test's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_cpu_per_update_bench_runs() -> None:
    out = _bench("bench.cpu_per_update", "--updates", "20", "--rounds", "1", "--rate", "0")
    assert "ratio baseline/ours:" in out


def test_the_stats_bench_runs() -> None:
    out = _bench("bench.stats", "--users", "300", "--samples", "1")
    assert "the baseline" in out
