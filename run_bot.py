"""The one entry point: `real` runs on Telegram, `demo` the console demo, `auto` picks by token,
`backup` copies the database safely while the bot runs, `migrate-store --from PATH --to URL`
moves a SQLite store into an empty PostgreSQL database. `real --take-over-webhook` polls even
though a webhook is set for the bot (polling deletes it)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

# Opt in to PTB's coming behaviour (durations as timedelta) now, so a 429's retry_after does not
# trigger a deprecation warning on every flood-control answer.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from app import event_loop
from app.main import run_backup, run_migrate_store, run_real
from bot import messages
from bot.settings import Settings, SettingsError, load_settings

EXIT_CONFIG = 2


TAKE_OVER = "--take-over-webhook"


def _migrate_store(args: list[str]) -> int:
    """`migrate-store --from PATH --to URL`: needs no bot settings, only the two stores."""
    given = dict(zip(args[::2], args[1::2], strict=False))
    if len(args) != 4 or set(given) != {"--from", "--to"}:
        print(messages.USAGE, file=sys.stderr)
        return EXIT_CONFIG
    return asyncio.run(run_migrate_store(Path(given["--from"]), given["--to"]))


def main(argv: list[str]) -> int:
    if argv[:1] == ["migrate-store"]:
        return _migrate_store(argv[1:])
    take_over = TAKE_OVER in argv
    args = [a for a in argv if a != TAKE_OVER]
    mode = args[0] if args else "real"
    if mode not in ("real", "demo", "auto", "backup") or len(args) > 1:
        print(messages.USAGE, file=sys.stderr)
        return EXIT_CONFIG
    if take_over and mode not in ("real", "auto"):
        print(messages.USAGE, file=sys.stderr)
        return EXIT_CONFIG
    try:
        settings: Settings = load_settings()
    except SettingsError as exc:
        print(messages.BAD_SETTING.format(detail=exc), file=sys.stderr)
        return EXIT_CONFIG
    if mode == "backup":
        return run_backup(settings)
    if mode == "auto":
        mode = "real" if settings.telegram_bot_token else "demo"
        if mode == "demo":
            print(messages.AUTO_DEMO)
    if mode == "demo":
        # The demo alone needs the sandboxes; real mode never imports them up front.
        from sandbox.demo import run_demo

        return asyncio.run(run_demo(settings))
    if settings.telegram_bot_token is None:
        print(messages.NO_TOKEN, file=sys.stderr)
        return EXIT_CONFIG
    return event_loop.run(run_real(settings, take_over_webhook=take_over))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
