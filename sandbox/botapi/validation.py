"""Checks on message text and inline keyboards, worded like Telegram's answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .errors import bad_request
from .html_entities import EntityParseError, parse_html, utf16_len

MAX_TEXT_UTF16 = 4096
MAX_CAPTION_UTF16 = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS = 100
MAX_BUTTONS_PER_ROW = 8
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_REPLY_KEYBOARD_KINDS = ("keyboard", "remove_keyboard", "force_reply")


@dataclass
class MessageText:
    text: str
    entities: list[dict[str, Any]]
    raw: str
    parse_mode: str | None


def parse_text(
    raw: str | None, parse_mode: str | None, entities: Any, *, editing: bool
) -> MessageText:
    """Turn text + parse_mode (or explicit entities) into what the message will hold."""
    empty = "text must be non-empty" if editing else "message text is empty"
    if raw is None:
        raise bad_request(empty)
    content = _parse(raw, parse_mode, entities)
    if not content.text.strip():
        raise bad_request(empty)
    if utf16_len(content.text) > MAX_TEXT_UTF16:
        # editMessageText surfaces the server's raw error code instead of tdlib's sentence.
        raise bad_request("MESSAGE_TOO_LONG" if editing else "message is too long")
    return content


def parse_caption(raw: str | None, parse_mode: str | None, entities: Any) -> MessageText:
    """A media caption: optional, 0-1024 characters after entity parsing."""
    if raw is None or raw == "":
        return MessageText("", [], "", None)
    content = _parse(raw, parse_mode, entities)
    if utf16_len(content.text) > MAX_CAPTION_UTF16:
        raise bad_request("message caption is too long")
    return content


def _parse(raw: str, parse_mode: str | None, entities: Any) -> MessageText:
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request("text must be encoded in UTF-8") from None
    mode = (parse_mode or "").strip()
    if entities is not None:
        # Explicit entities win over parse_mode, as on Telegram.
        text, found, mode = raw, _check_entities(entities, raw), ""
    elif mode == "":
        text, found = raw, []
    elif mode.lower() == "html":
        try:
            parsed = parse_html(raw)
        except EntityParseError as err:
            raise bad_request(f"can't parse entities: {err}") from None
        text, found, mode = parsed.text, parsed.entities, "HTML"
    elif mode.lower() in ("markdown", "markdownv2"):
        raise bad_request(f"parse_mode {mode} is not implemented in the sandbox; use HTML")
    else:
        raise bad_request("unsupported parse_mode")
    return MessageText(text, found, raw, mode or None)


def _check_entities(entities: Any, text: str) -> list[dict[str, Any]]:
    if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
        raise bad_request("can't parse entities JSON object")
    size = utf16_len(text)
    out = []
    for entity in entities:
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(entity.get("type"), str) or not isinstance(offset, int):
            raise bad_request("can't parse MessageEntity JSON object")
        if not isinstance(length, int) or offset < 0 or length <= 0 or offset + length > size:
            continue  # Telegram silently drops entities that fall outside the text
        out.append({k: v for k, v in entity.items() if v is not None})
    return sorted(out, key=lambda e: (e["offset"], -e["length"]))


def parse_reply_markup(markup: Any, *, inline_only: bool) -> list[list[dict[str, Any]]] | None:
    """The inline keyboard a message will carry; reply keyboards are accepted but not kept."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        if inline_only or not any(kind in markup for kind in _REPLY_KEYBOARD_KINDS):
            raise bad_request("can't parse inline keyboard markup JSON object")
        return None
    rows = _inline_rows(markup["inline_keyboard"])
    keyboard = [[_check_button(button) for button in row] for row in rows if row]
    return keyboard or None


def _inline_rows(rows: Any) -> list[list[Any]]:
    """The rows of an inline keyboard, as Telegram checks their shape and size."""
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    if sum(len(row) for row in rows) > MAX_BUTTONS or any(
        len(row) > MAX_BUTTONS_PER_ROW for row in rows
    ):
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    return rows


def _check_button(button: Any) -> dict[str, Any]:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(prefix + "InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise bad_request(prefix + 'Field "text" must be of type String')
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [name for name in _BUTTON_ACTIONS if button.get(name) is not None]
    if not actions:
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(prefix + "exactly one of the optional fields must be used")
    _check_action(button)
    return {key: value for key, value in button.items() if value is not None}


def _check_action(button: dict[str, Any]) -> None:
    """The one action a button has: its data, its link or its Mini App."""
    data = button.get("callback_data")
    if data is not None and (
        not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not _valid_button_url(url):
        raise bad_request("BUTTON_URL_INVALID")
    web_app = button.get("web_app")
    if web_app is not None:
        # Telegram opens Mini Apps over HTTPS only.
        page = web_app.get("url") if isinstance(web_app, dict) else None
        if not isinstance(page, str) or not page.startswith("https://"):
            raise bad_request("BUTTON_URL_INVALID")


def check_markup_chat(markup: list[list[dict[str, Any]]] | None, chat_type: str) -> None:
    """Telegram takes web_app buttons in private chats only (BUTTON_TYPE_INVALID elsewhere)."""
    if chat_type != "private" and any("web_app" in b for row in markup or [] for b in row):
        raise bad_request("BUTTON_TYPE_INVALID")


def _valid_button_url(url: Any) -> bool:
    if not isinstance(url, str) or not url or any(ch.isspace() for ch in url):
        return False
    parts = urlsplit(url)
    if parts.scheme.lower() in ("http", "https"):
        return bool(parts.hostname)
    return parts.scheme.lower() == "tg" and bool(parts.netloc or parts.path)


def check_text_limit(text: str | None, limit: int, name: str) -> str:
    """Plain optional text fields (descriptions, callback answers) with a length cap."""
    value = text or ""
    if len(value) > limit:
        raise bad_request(f"{name} is too long")
    return value
