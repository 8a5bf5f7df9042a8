"""Real mode: the bot on Telegram (or any Bot API server) until SIGINT/SIGTERM, by polling
or, with WEBHOOK_URL set, through a webhook (app/webhook.py)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

from telegram.error import InvalidToken, TelegramError

from app.build import BotApplication, build_application
from app.webhook import WebhookRuntime
from bot import messages
from bot.gateway import GatewayEndpoint, configured_endpoint
from bot.logging_setup import RedactingFilter, configure_logging
from bot.runtime import BotRuntime, StopSignals, UpdatesElsewhere
from bot.settings import Settings
from core.clock import Clock, SystemClock
from store.backup import backup, default_target
from store.migrations import SchemaTooNewError
from store.sandbox_links import sandbox_database
from store.transfer import TransferFailed, TransferRefused, mask_url, transfer

EXIT_CONFIG = 2
EXIT_UNREACHABLE = 3
# Another process or deployment receives this bot's updates (README "실제로 텔레그램에서
# 실행하기"): a second poller, a webhook polling must not delete, a webhook set meanwhile.
EXIT_ELSEWHERE = 4
logger = logging.getLogger(__name__)


def _secrets(settings: Settings) -> list[str]:
    values = [settings.telegram_bot_token, settings.vms_gateway_api_key, settings.webhook_secret]
    return [v.get_secret_value() for v in values if v is not None]


def _elsewhere_line(failure: UpdatesElsewhere) -> str:
    if failure.reason == "polling":
        return messages.POLLING_CONFLICT
    if failure.reason == "webhook_set":
        return messages.WEBHOOK_IS_SET.format(url=failure.url or "?")
    return messages.WEBHOOK_TOOK_OVER


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


async def run_migrate_store(source: Path, target_url: str) -> int:
    """Copies the SQLite store at `source` into the empty PostgreSQL database `target_url`
    and prints each table's row count on both sides (store/transfer.py)."""
    shown = mask_url(target_url)
    password = _password(target_url)
    try:
        counts = await transfer(source, target_url, clock=SystemClock())
    except (TransferRefused, TransferFailed) as exc:
        detail = str(exc).replace(password, "***") if password else str(exc)
        line = (
            messages.MIGRATE_REFUSED
            if isinstance(exc, TransferRefused)
            else (messages.MIGRATE_FAILED)
        )
        print(line.format(detail=detail), file=sys.stderr)
        return EXIT_CONFIG if isinstance(exc, TransferRefused) else 1
    print(messages.MIGRATE_HEADER.format(table="table", source="SQLite", target="PostgreSQL"))
    for count in counts:
        print(
            messages.MIGRATE_HEADER.format(
                table=count.table, source=count.source, target=count.target
            )
        )
    print(
        messages.MIGRATE_DONE.format(
            tables=len(counts), rows=sum(c.target for c in counts), source=source, target=shown
        )
    )
    return 0


def _password(url: str) -> str | None:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).password
    except ValueError:
        return None


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


async def run_real(settings: Settings, *, take_over_webhook: bool = False) -> int:
    """Polls (or serves the webhook) until a stop signal; returns the process exit status.

    `take_over_webhook`: poll even though a webhook is set for the bot (it is deleted).
    """
    redactor = configure_logging(settings.log_level, _secrets(settings))
    logger.info("event loop: %s", type(asyncio.get_running_loop()).__module__.split(".")[0])
    # Real time, also with the embedded sandbox gateway: only the console demo's clock moves.
    clock = SystemClock()
    gateway_db = sandbox_database(settings.database_path)
    with StopSignals() as stop:
        return await _serve(settings, redactor, clock, gateway_db, stop, take_over_webhook)


def _runtime(app: BotApplication, settings: Settings, take_over_webhook: bool) -> BotRuntime:
    if settings.webhook_url is not None:
        return WebhookRuntime(app, settings)
    return BotRuntime(
        app, take_over_webhook=take_over_webhook, probe_seconds=settings.polling_probe_seconds
    )


async def _until_stopped(stop: StopSignals, runtime: BotRuntime) -> None:
    """Returns on a stop signal, or when receiving became impossible (runtime.failure)."""
    waits = {asyncio.create_task(stop.wait()), asyncio.create_task(runtime.failed.wait())}
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waits:
            task.cancel()
        await asyncio.gather(*waits, return_exceptions=True)


async def _serve(
    settings: Settings,
    redactor: RedactingFilter,
    clock: Clock,
    gateway_db: Path,
    stop: StopSignals,
    take_over_webhook: bool,
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
        runtime = _runtime(app, settings, take_over_webhook)
        try:
            await runtime.start()
        except UpdatesElsewhere as exc:
            await runtime.stop()
            print(_elsewhere_line(exc), file=sys.stderr)
            return EXIT_ELSEWHERE
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
            await _until_stopped(stop, runtime)
            if runtime.failure is None:
                logger.info("stop signal received; finishing in-flight updates")
        finally:
            await runtime.stop()
        if runtime.failure is not None:
            print(_elsewhere_line(runtime.failure), file=sys.stderr)
            return EXIT_ELSEWHERE
    return 0
