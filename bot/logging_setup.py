"""Logging that never writes a bot token, an API key or a resident registration number."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

from bot.services.privacy import redact_rrn

# Bot tokens also appear inside URLs that httpx and PTB log (…/bot<token>/sendMessage).
_TOKEN_SHAPE = re.compile(r"\d{5,12}:[A-Za-z0-9_-]{20,}")


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
    # httpx logs every request URL at INFO, and the URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # At DEBUG, PTB logs every update and every message it sends, whole: names, VMS IDs,
    # link codes. LOG_LEVEL=DEBUG is for our own code; PTB stays at INFO at most.
    logging.getLogger("telegram").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    return redactor
