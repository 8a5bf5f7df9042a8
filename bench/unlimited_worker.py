"""A webhook worker as `run_bot.py real` runs one (same settings from the environment, same
Application from app.build, same WebhookRuntime), but built with `rate_limit=False`: bench/
workers.py measures what the workers, PostgreSQL and the stand-in can carry, so Telegram's
~30 messages/s (bot/rate_limit.py), which every worker would otherwise keep, is left out.

    python -m bench.unlimited_worker    (settings from the environment; stops on SIGTERM)
"""

from __future__ import annotations

import asyncio

from app.build import build_application
from app.webhook import WebhookRuntime
from bot.gateway import configured_endpoint
from bot.logging_setup import configure_logging
from bot.runtime import StopSignals
from bot.settings import load_settings


async def main() -> None:
    settings = load_settings()
    secrets = [settings.telegram_bot_token, settings.vms_gateway_api_key, settings.webhook_secret]
    configure_logging(settings.log_level, [s.get_secret_value() for s in secrets if s is not None])
    with StopSignals() as stop:
        app = await build_application(
            settings, rate_limit=False, gateway=configured_endpoint(settings)
        )
        runtime = WebhookRuntime(app, settings)
        await runtime.start()
        try:
            await stop.wait()
        finally:
            await runtime.stop()


if __name__ == "__main__":
    asyncio.run(main())
