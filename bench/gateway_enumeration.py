"""Does a link-code request answer a known VMS ID slower than an unknown one? (issue 8)

Both kinds are measured in one run, interleaved at random, against the sandbox gateway on
loopback: known IDs are members made for the run, unknown IDs have no member. Each ID is
asked once, so no per-ID limit interferes. Prints each kind's median and mean, the
difference of the means with its z score, and the ratio of the medians. Not a test: a
figure to watch (before the fix: known IDs were ~70 µs slower, z≈9.8 over 600 samples each).

    python -m bench.gateway_enumeration [--samples 600]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from sandbox.gateway import GatewaySandbox

KEY = "bench-center-key"


async def measure(samples: int) -> dict[str, list[float]]:
    """Seconds per answered request, by kind."""
    with tempfile.TemporaryDirectory() as tmp:
        gateway = GatewaySandbox(
            api_key=KEY, db_path=Path(tmp) / "gw.sqlite3", center_cap=10 * samples
        )
        for n in range(samples):
            gateway.put_member(
                f"known{n:05d}", contact={"channel": "sms", "destination": "010-1234-5678"}
            )
        plan = [("known", f"known{n:05d}") for n in range(samples)]
        plan += [("unknown", f"ghost{n:05d}") for n in range(samples)]
        random.Random(8).shuffle(plan)
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        async with (
            gateway,
            httpx.AsyncClient(
                base_url=gateway.base_url, headers={"Authorization": f"Bearer {KEY}"}
            ) as http,
        ):
            for vms_id in ("warm0001", "warm0002", "known00000"):  # warm-up, not counted
                await http.post("/v1/link-requests", json={"vms_id": vms_id})
            for kind, vms_id in plan:
                started = time.perf_counter()
                response = await http.post("/v1/link-requests", json={"vms_id": vms_id})
                elapsed = time.perf_counter() - started
                if response.status_code != 202:
                    raise SystemExit(f"unexpected {response.status_code}: {response.text}")
                times[kind].append(elapsed)
                # Let queued deliveries go out between requests, as they would on a real server.
                await gateway.settle_deliveries()
        return times


def report(times: dict[str, list[float]]) -> None:
    known, unknown = times["known"], times["unknown"]
    diff = statistics.mean(known) - statistics.mean(unknown)
    se = statistics.variance(known) / len(known) + statistics.variance(unknown) / len(unknown)
    z = diff / se**0.5 if se > 0 else 0.0
    for kind, values in times.items():
        print(
            f"{kind:>8}: n={len(values)}  median {statistics.median(values) * 1e6:7.0f} µs"
            f"  mean {statistics.mean(values) * 1e6:7.0f} µs"
        )
    ratio = statistics.median(known) / statistics.median(unknown)
    print(f"known - unknown (means): {diff * 1e6:+.0f} µs  z={z:+.1f}  median ratio {ratio:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=600)
    args = parser.parse_args()
    report(asyncio.run(measure(args.samples)))


if __name__ == "__main__":
    main()
