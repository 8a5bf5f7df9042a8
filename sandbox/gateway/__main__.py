"""Run the gateway sandbox alone: python -m sandbox.gateway --api-key KEY (loopback only)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

from .sandbox import GatewaySandbox

BANNER = """\
================================================================
  VMS linkage gateway SANDBOX — ALL DATA ARE SIMULATED
  모의 게이트웨이입니다: 회원, 봉사실적, 전송 결과는 모두 가짜입니다.
  listening on {url}   database {db}
  demo members: {members}
  link codes appear below as "link code for <VMS ID>: <code>"
  operator API: {operator}   stop with Ctrl-C
================================================================"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line; the key may come from VMS_GATEWAY_API_KEY instead."""
    parser = argparse.ArgumentParser(prog="python -m sandbox.gateway", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="a loopback address")
    parser.add_argument("--port", type=int, default=8600, help="0 picks a free port")
    parser.add_argument("--db", type=Path, default=Path("data/gateway-sandbox.sqlite3"))
    parser.add_argument(
        "--api-key",
        default=os.environ.get("VMS_GATEWAY_API_KEY"),
        help="the center API key clients must send (default: $VMS_GATEWAY_API_KEY)",
    )
    parser.add_argument(
        "--operator-key",
        default=os.environ.get("SANDBOX_OPERATOR_KEY"),
        help="the key of the operator API /sandbox/... (default: $SANDBOX_OPERATOR_KEY;"
        " without one that API refuses every call)",
    )
    parser.add_argument(
        "--result-delay", type=float, default=60.0, help="seconds until results arrive"
    )
    args = parser.parse_args(argv)
    if not args.api_key:
        parser.error("give --api-key or set VMS_GATEWAY_API_KEY")
    if args.operator_key is not None and args.operator_key in ("", args.api_key):
        parser.error("the operator key must differ from the center's API key")
    return args


async def serve(args: argparse.Namespace) -> None:
    """Run until SIGINT or SIGTERM, then stop cleanly."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    sandbox = GatewaySandbox(
        api_key=args.api_key,
        db_path=args.db,
        result_delay=timedelta(seconds=args.result_delay),
        operator_key=args.operator_key,
    )
    try:
        await sandbox.start(args.host, args.port)
        members = ", ".join(sandbox.DEMO_MEMBERS)
        operator = (
            f"{sandbox.base_url}/sandbox/... (its own key, sandbox/gateway/operator.yaml)"
            if args.operator_key
            else "off (give --operator-key or set SANDBOX_OPERATOR_KEY)"
        )
        banner = BANNER.format(url=sandbox.base_url, db=args.db, members=members, operator=operator)
        print(banner, flush=True)
        await stopping.wait()
    finally:
        await sandbox.stop()
    print("gateway sandbox stopped", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run until stopped; 0 after a clean stop, 2 for bad arguments, 1 if it cannot listen."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        asyncio.run(serve(args))
    except ValueError as err:  # e.g. a host that is not loopback
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # e.g. the port is taken
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
