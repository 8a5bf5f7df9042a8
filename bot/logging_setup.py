"""Logging that never writes a bot token, an API key or a resident registration number."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

from bot.services.privacy import redact_rrn

# Bot tokens also appear inside URLs that httpx and PTB log (…/bot<token>/sendMessage).
_TOKEN_SHAPE = re.compile(r"\d{5,12}:[A-Za-z0-9_-]{20,}")


# Library loggers and the most detail each may write whatever LOG_LEVEL says: below these
# levels they write secrets or personal data. LOG_LEVEL=DEBUG is for our own code.
LIBRARY_FLOORS = {
    # INFO: every request URL, and the Bot API's contain the bot token.
    "httpx": logging.WARNING,
    # DEBUG: connection and header events of every request.
    "httpcore": logging.WARNING,
    # DEBUG: every update and every message sent, whole: names, VMS IDs, link codes.
    "telegram": logging.INFO,
    # DEBUG: every statement with its parameters (`DELETE FROM links … (2101, 'kindly0904')`).
    "aiosqlite": logging.WARNING,
    # INFO: a line per job added, run or removed (PTB's conversation timeouts): noise.
    "apscheduler": logging.WARNING,
    # DEBUG: the Bot API client's connection events (core/bot_api_request.py).
    "aiohttp.client": logging.WARNING,
    # INFO: every request line the embedded sandbox servers answer.
    "aiohttp.access": logging.WARNING,
}


class RedactingFilter(logging.Filter):
    """Rewrites each record's final message with secrets and resident numbers masked."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def add_secret(self, secret: str) -> None:
        if secret and secret not in self._secrets:
            self._secrets.append(secret)

    def redact(self, message: str) -> str:
        for secret in self._secrets:
            message = message.replace(secret, "[secret]")
        message = _TOKEN_SHAPE.sub("[token]", message)
        return redact_rrn(message)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            # Tracebacks can quote arguments; render and redact them here once.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        record.msg = self.redact(message)
        record.args = None
        return True


def configure_logging(level: str, secrets: Iterable[str] = (), stream=None) -> RedactingFilter:  # type: ignore[no-untyped-def]
    """Log to stderr through the redacting filter; quiet the libraries that log request URLs."""
    redactor = RedactingFilter(secrets)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redactor)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, floor in LIBRARY_FLOORS.items():
        logging.getLogger(name).setLevel(max(floor, logging.getLevelName(level)))
    return redactor
