"""Retiring what the embedded sandbox gateway made, once the bot no longer runs it.

Real mode used to start the sandbox whenever VMS_GATEWAY_URL was unset, so real volunteers of
a center could be linked to simulated members, with simulated records and sends. At every
start (before the first update is answered) the links made before migration 22 get their
gateway, and unless the bot runs the sandbox now (VMS_GATEWAY_URL=sandbox), the sandbox's
links and everything hanging on them go, with one farewell per volunteer as due work.
Idempotent: a second start finds nothing left, so nobody is told twice.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from store.sandbox_links import (
    SANDBOX,
    Retired,
    SandboxLinks,
    issued_link_ids,
    sandbox_database,
)

logger = logging.getLogger(__name__)

FAREWELL = "trial.farewell"


class TrialService:
    """The sandbox's leftovers, for the runtime (at start) and the farewell's due work."""

    def __init__(self, rows: SandboxLinks, database_path: Path, gateway: str | None) -> None:
        self._rows = rows
        self._sandbox_file = sandbox_database(database_path)
        # 'sandbox', a real gateway's origin, or None in guide mode.
        self._gateway = gateway

    async def retire_sandbox(self) -> Retired | None:
        """Classifies old links; removes the sandbox's unless it runs now. None if it does."""
        issued = await asyncio.to_thread(issued_link_ids, self._sandbox_file)
        await self._rows.classify(issued, self._gateway)
        if self._gateway == SANDBOX:
            return None
        retired = await self._rows.retire(issued, FAREWELL)
        if retired.links or retired.users:
            # Counts only: the operator learns it happened and how much, nobody's id.
            logger.warning(
                "removed %d link(s) made with the embedded sandbox gateway; %d volunteer(s) "
                "will be told once that it was trial data",
                retired.links,
                len(retired.users),
            )
        return retired
