"""Peak memory of one /member call answered by a huge body: our capped client next to the
uncapped read the client did before (httpx reading the whole body, then parsing it).

A loopback server streams `--mib` MiB of JSON whitespace followed by a valid member (chunked,
no Content-Length, so only the cap while reading can stop it). Each client runs in a fresh
process, so its peak resident size (ru_maxrss) is its own.

    python -m bench.gateway_body_cap [--mib 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys

import httpx
from aiohttp import web

from linkage.client import GatewayClient
from linkage.errors import GatewayError
from linkage.models import Member

MEMBER = {
    "vms_id": "kindly0904",
    "id_1365_masked": "kindly****",
    "consent_vms": {"agreed": True, "agreed_on": "2020-03-19"},
    "consent_1365": {"agreed": True, "agreed_on": "2019-09-11"},
    "account_1365": "active",
}
CHUNK = 64 * 1024


def rss_mib() -> float:
    """Peak resident size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def child(which: str, url: str) -> None:
    before = rss_mib()
    if which == "capped":
        async with GatewayClient(url, "bench-key", read_timeout=60, deadline=120) as client:
            try:
                await client.member("lnk_1")
                outcome = "parsed"
            except GatewayError as exc:
                outcome = f"{type(exc).__name__} ({exc.code})"
    else:
        async with httpx.AsyncClient(timeout=60) as bare:
            response = await bare.get(f"{url}/v1/links/lnk_1/member")
            Member.model_validate_json(response.content)
            outcome = "parsed"
    print(json.dumps({"before": before, "peak": rss_mib(), "outcome": outcome}))


async def serve(mib: int) -> tuple[web.AppRunner, str]:
    tail = json.dumps(MEMBER).encode()

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        pad = b" " * CHUNK
        try:
            for _ in range(mib * 1024 * 1024 // CHUNK):
                await response.write(pad)
            await response.write(tail)
        except (ConnectionError, RuntimeError):
            pass  # the capped client hung up
        return response

    app = web.Application()
    app.router.add_get("/{tail:.*}", huge)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


async def main(mib: int) -> None:
    runner, url = await serve(mib)
    try:
        results = {}
        for which in ("uncapped", "capped"):
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.gateway_body_cap",
                "--child",
                which,
                "--url",
                url,
                stdout=subprocess.PIPE,
            )
            out, _ = await proc.communicate()
            results[which] = json.loads(out)
    finally:
        await runner.cleanup()
    print(f"a {mib} MiB /member answer, peak resident size of one call:")
    for which, r in results.items():
        grew = r["peak"] - r["before"]
        print(
            f"  {which:<9} {r['before']:7.1f} MiB -> {r['peak']:7.1f} MiB "
            f"(+{grew:.1f} MiB)  {r['outcome']}"
        )
    ratio = (results["uncapped"]["peak"] - results["uncapped"]["before"]) / max(
        0.1, results["capped"]["peak"] - results["capped"]["before"]
    )
    print(f"  growth uncapped / capped: {ratio:.0f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mib", type=int, default=300)
    parser.add_argument("--child", choices=("capped", "uncapped"))
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.child:
        asyncio.run(child(args.child, args.url))
    else:
        asyncio.run(main(args.mib))
