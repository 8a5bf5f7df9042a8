"""python -m sandbox.gateway: banner, codes in the log, clean stop on SIGTERM, loopback only."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

from tests.gateway.conftest import make_client

ROOT = Path(__file__).resolve().parents[2]
KEY = "cli-key-not-a-real-one"


async def launch(*args: str, key_env: str | None = None) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if k != "VMS_GATEWAY_API_KEY"}
    if key_env:
        env["VMS_GATEWAY_API_KEY"] = key_env
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sandbox.gateway", *args,
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_runs_alone_and_stops_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "standalone.sqlite3"
    proc = await launch("--port", "0", "--db", str(db), key_env=KEY)
    assert proc.stdout is not None and proc.stderr is not None
    try:
        banner: list[str] = []
        while not banner or "listening on" not in banner[-1]:
            line = await asyncio.wait_for(proc.stdout.readline(), 15)
            assert line, "the sandbox exited before listening"
            banner.append(line.decode())
        assert "SIMULATED" in "".join(banner)
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", banner[-1])
        assert match is not None
        async with make_client(match.group(1), key=KEY) as client:
            assert (await client.get("/v1/health")).json()["simulated"] is True
            response = await client.post("/v1/link-requests", json={"vms_id": "kindly0904"})
            assert response.status_code == 202
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 15)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0
    assert "gateway sandbox stopped" in out.decode()
    log = err.decode()
    assert re.search(r"link code for kindly0904: \d{6} \(sms 010-\*\*\*\*-12\*\*\)", log)
    assert KEY not in log + out.decode()
    assert db.exists()


async def test_refuses_without_a_key_or_off_loopback(tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite3")
    no_key = await launch("--port", "0", "--db", db)
    public = await launch("--host", "0.0.0.0", "--port", "0", "--db", db, "--api-key", KEY)
    (_, no_key_err), (_, public_err) = await asyncio.wait_for(
        asyncio.gather(no_key.communicate(), public.communicate()), 15
    )
    assert no_key.returncode == 2 and b"VMS_GATEWAY_API_KEY" in no_key_err
    assert public.returncode == 2 and b"loopback" in public_err
