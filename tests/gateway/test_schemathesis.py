"""A bounded schemathesis run (every check, fixed seed) against the sandbox gateway.

The real CLI, over real HTTP on loopback, against linkage/openapi.yaml: about 600 cases in
a few seconds. A refused wrong code (422/423) or a send with nothing left (422) is a correct
answer to a schema-valid request, so those statuses are declared expected per operation.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httpx

from sandbox.gateway import GatewaySandbox
from tests.gateway.conftest import API_KEY, link
from tests.gateway.contract import SPEC

CONFIG = """\
seed = 42
workers = 1

[generation]
max-examples = 30

[[operations]]
include-operation-id = "confirmLinkCode"
checks.positive_data_acceptance.expected-statuses = [
    "2xx", "404", "410", "422", "423", "429", "503",
]

[[operations]]
include-operation-id = "createTransmission"
parameters = {{ "path.link_id" = "{link_id}" }}
checks.positive_data_acceptance.expected-statuses = ["2xx", "404", "409", "422", "429", "503"]

[[operations]]
include-operation-id = "listRecords"
parameters = {{ "path.link_id" = "{link_id}" }}
# The contract: a cursor the gateway did not give is 400, though any short string is well-formed.
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "404", "503"]

[[operations]]
include-operation-id = ["getMember", "listTransmissions", "getTransmission"]
parameters = {{ "path.link_id" = "{link_id}" }}
"""


async def test_schemathesis_finds_no_failure(
    gateway: GatewaySandbox, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    # A real link with unsent records, so generated requests reach past "link not found".
    link_id = await link(client, gateway, "hanbit2007")
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG.format(link_id=link_id), encoding="utf-8")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "schemathesis.cli",
        "--config-file", str(config),
        "run", str(SPEC),
        "--url", gateway.base_url,
        "--checks", "all",
        "--header", f"Authorization: Bearer {API_KEY}",
        "--no-shrink",
        "--report-dir", str(tmp_path / "report"),
        cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(proc.communicate(), 300)
    text = out.decode(errors="replace")
    assert proc.returncode == 0, text[-6000:]
    assert "Tested: 9" in text, text[-2000:]  # every operation of the contract ran
