"""Typed access to request parameters, whichever way the bot encoded them.

Telegram accepts query strings, form bodies (PTB's choice: every non-string value is sent
JSON-encoded) and JSON bodies; objects may arrive as JSON strings in any of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .errors import CHAT_NOT_FOUND, bad_request


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart/form-data request, read whole."""

    filename: str | None
    content_type: str
    data: bytes


class Params:
    """One request's parameters with Telegram-style coercion on read."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def has(self, name: str) -> bool:
        return self.raw.get(name) is not None

    def get_str(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, str):
            return value
        raise bad_request(f'field "{name}" must be of type String')

    def get_int(self, name: str) -> int | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise bad_request(f'field "{name}" must be of type Integer')

    def get_bool(self, name: str) -> bool:
        value = self.raw.get(name)
        if isinstance(value, str):
            # The real server treats anything but "true"/"1" as false.
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def get_json(self, name: str, what: str) -> Any:
        """A JSON-serialized parameter; `what` names it in the parse error like Telegram."""
        value = self.raw.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {what} JSON object") from None

    def get_upload(self, name: str) -> Upload | None:
        """The file uploaded under `name`, if that part was a file (attach:// names a part)."""
        value = self.raw.get(name)
        return value if isinstance(value, Upload) else None

    def chat_id(self, name: str = "chat_id") -> int:
        """The numeric chat id; "@username" never resolves because the sandbox has none."""
        value = self.raw.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, bool):
            raise bad_request(CHAT_NOT_FOUND)
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                raise bad_request(CHAT_NOT_FOUND) from None
        raise bad_request(CHAT_NOT_FOUND)


async def read_params(request: web.Request) -> dict[str, Any]:
    """Merge the query string and the body, as the real server does."""
    raw: dict[str, Any] = dict(request.query)
    if not request.can_read_body:
        return raw
    if request.content_type == "application/json":
        try:
            body = json.loads(await request.text() or "{}")
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON object")
        raw.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                raw[key] = Upload(value.filename, value.content_type, value.file.read())
            elif isinstance(value, str):
                raw[key] = value
            else:  # a part aiohttp read as raw bytes (no filename, unknown charset)
                raw[key] = Upload(None, "application/octet-stream", bytes(value))
    return raw


def redact(raw: dict[str, Any], tokens: frozenset[str]) -> dict[str, Any]:
    """Copy parameters for the rejection log with any token text blanked out."""

    def scrub(value: Any) -> Any:
        if isinstance(value, Upload):
            return f"<file {value.filename or '?'}, {len(value.data)} bytes>"
        if isinstance(value, str):
            for token in tokens:
                value = value.replace(token, "<token>")
        return value

    return {key: scrub(value) for key, value in raw.items()}


__all__ = ["Params", "Upload", "read_params", "redact"]
