"""Our gateway client against the sandbox gateway, next to a bare httpx loop on the same endpoint.

For member-status reads and record-page reads, at concurrency 1 and 50, prints requests/second
and p50/p95 latency for both, and the ratio that is our client's overhead (parsing into typed
models, error mapping, retry bookkeeping).

    python -m bench.gateway_client [--requests 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from linkage.client import GatewayClient
from sandbox.gateway import GatewaySandbox

KEY = "bench-center-key"


Call = Callable[[], Awaitable[object]]


async def timed(n: int, concurrency: int, call: Call) -> tuple[float, list[float]]:
    """Runs `call` n times with `concurrency` workers; returns (requests/second, latencies)."""
    latencies: list[float] = []
    remaining = iter(range(n))

    async def worker() -> None:
        for _ in remaining:
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return n / (time.perf_counter() - started), latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


HEADER = f"{'endpoint':<18} {'conc':>4}  {'client':<6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}"


def report(name: str, concurrency: int, label: str, rate: float, lat: list[float]) -> None:
    p50, p95 = pct(lat, 0.5), pct(lat, 0.95)
    print(f"{name:<18} {concurrency:>4}  {label:<6} {rate:8.0f} {p50:8.2f} {p95:8.2f}")


async def compare(name: str, requests: int, ours: Call, bare: Call) -> None:
    """Both clients at concurrency 1 and 50, after a short warm-up of each."""
    for concurrency in (1, 50):
        await timed(50, concurrency, bare)
        await timed(50, concurrency, ours)
        bare_rate, bare_lat = await timed(requests, concurrency, bare)
        our_rate, our_lat = await timed(requests, concurrency, ours)
        report(name, concurrency, "httpx", bare_rate, bare_lat)
        report(name, concurrency, "ours", our_rate, our_lat)
        p50_ratio = statistics.median(our_lat) / statistics.median(bare_lat)
        print(f"{'':<24}ratio ours/httpx: req/s {our_rate / bare_rate:.2f}, p50 {p50_ratio:.2f}")


async def main(requests: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        gateway = GatewaySandbox(api_key=KEY, db_path=Path(tmp) / "gw.sqlite3")
        async with gateway:
            headers = {"Authorization": f"Bearer {KEY}"}
            async with (
                GatewayClient(gateway.base_url, KEY) as ours,
                httpx.AsyncClient(base_url=gateway.base_url, headers=headers) as bare,
            ):
                code = await ours.request_link_code("hanbit2007")
                link = await ours.confirm_link(
                    code.request_id, await gateway.delivered_code("hanbit2007") or ""
                )
                link_id = link.link_id

                async def bare_get(path: str, params: dict[str, int] | None = None) -> None:
                    response = await bare.get(path, params=params)
                    response.raise_for_status()
                    response.json()

                counts = (await ours.records(link_id)).counts.model_dump()
                print(f"{requests} requests each; sandbox gateway on loopback; records {counts}\n")
                print(HEADER)
                await compare(
                    "member status",
                    requests,
                    lambda: ours.member(link_id),
                    lambda: bare_get(f"/v1/links/{link_id}/member"),
                )
                await compare(
                    "record page (50)",
                    requests,
                    lambda: ours.records(link_id, limit=50),
                    lambda: bare_get(f"/v1/links/{link_id}/records", {"limit": 50}),
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=1000)
    asyncio.run(main(parser.parse_args().requests))
