"""Real mode: the bot on Telegram (or any Bot API server) until SIGINT/SIGTERM."""

from __future__ import annotations

import logging
import sqlite3
import sys
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

from telegram.error import InvalidToken, TelegramError

from app.build import build_application
from bot import messages
from bot.gateway import GatewayEndpoint, configured_endpoint
from bot.logging_setup import RedactingFilter, configure_logging
from bot.runtime import BotRuntime, StopSignals
from bot.settings import Settings
from core.clock import Clock, SystemClock
from store.backup import backup, default_target
from store.migrations import SchemaTooNewError
from store.sandbox_links import sandbox_database

EXIT_CONFIG = 2
EXIT_UNREACHABLE = 3
logger = logging.getLogger(__name__)


def _secrets(settings: Settings) -> list[str]:
    values = [settings.telegram_bot_token, settings.vms_gateway_api_key]
    return [v.get_secret_value() for v in values if v is not None]


def run_backup(settings: Settings) -> int:
    """Writes a consistent copy of the database to backups/ and prints where."""
    if settings.postgres_url is not None:
        # The server's own tool makes the consistent copy; one that the bot made could not.
        print(messages.BACKUP_POSTGRES, file=sys.stderr)
        return 2
    try:
        target = backup(
            settings.database_path, default_target(settings.database_path, datetime.now())
        )
    except (FileNotFoundError, sqlite3.Error) as exc:
        print(messages.BACKUP_FAILED.format(detail=exc), file=sys.stderr)
        return 1
    print(messages.BACKUP_DONE.format(path=target))
    return 0


def _gateway(
    settings: Settings, db_path: Path, clock: Clock
) -> AbstractAsyncContextManager[tuple[GatewayEndpoint | None, Any]]:
    """The configured gateway, none (guide mode), or the embedded sandbox only when
    VMS_GATEWAY_URL=sandbox says so: real volunteers never get simulated data by default."""
    if settings.gateway_mode != "sandbox":
        if settings.gateway_mode == "guide":
            print(messages.GUIDE_MODE, file=sys.stderr)
        return nullcontext((configured_endpoint(settings), None))
    # Imported here, not at the top: a production run against a real gateway loads no
    # sandbox code at all.
    from sandbox.embedded import gateway_for

    return gateway_for(db_path, clock, announce_trial=True)


async def run_real(settings: Settings) -> int:
    """Runs polling until a stop signal; returns the process exit status."""
    redactor = configure_logging(settings.log_level, _secrets(settings))
    # Real time, also with the embedded sandbox gateway: only the console demo's clock moves.
    clock = SystemClock()
    gateway_db = sandbox_database(settings.database_path)
    with StopSignals() as stop:
        return await _serve(settings, redactor, clock, gateway_db, stop)


async def _serve(
    settings: Settings,
    redactor: RedactingFilter,
    clock: Clock,
    gateway_db: Path,
    stop: StopSignals,
) -> int:
    """Starts the gateway (if embedded) and the bot, and serves until `stop`."""
    async with _gateway(settings, gateway_db, clock) as (endpoint, embedded):
        if embedded is not None and endpoint is not None:
            redactor.add_secret(endpoint.api_key.get_secret_value())
        try:
            app = await build_application(settings, clock=clock, gateway=endpoint)
        except SchemaTooNewError as exc:
            print(messages.SCHEMA_TOO_NEW.format(detail=exc), file=sys.stderr)
            return EXIT_CONFIG
        runtime = BotRuntime(app)
        try:
            await runtime.start()
        except InvalidToken:
            await runtime.stop()
            # PTB's own message quotes the token; ours names the setting only.
            print(messages.TOKEN_REJECTED, file=sys.stderr)
            return EXIT_CONFIG
        except TelegramError as exc:
            await runtime.stop()
            print(messages.BOT_API_UNREACHABLE.format(error=type(exc).__name__), file=sys.stderr)
            return EXIT_UNREACHABLE
        try:
            await stop.wait()
            logger.info("stop signal received; finishing in-flight updates")
        finally:
            await runtime.stop()
    return 0
