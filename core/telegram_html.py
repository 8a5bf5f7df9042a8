"""Telegram's HTML parse_mode: plain text plus MessageEntity dicts, or the exact error.

Offsets and lengths are in UTF-16 code units, as Telegram counts them. Errors quote UTF-8
byte offsets of the offending "<" like the real parser does.

Stricter than the real server in two documented places (the Bot API docs say these must
be escaped, Telegram tolerates them): a bare "&" or ">" in text is rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_ENTITY_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_MERGEABLE = {"bold", "italic", "underline", "strikethrough", "spoiler"}


class EntityParseError(ValueError):
    """Text after "can't parse entities: " in Telegram's description.

    `reason` names the rule broken (for a message in the writer's language), `tag` the tag
    involved if any, `index` the character position in the source if known.
    """

    def __init__(
        self, message: str, reason: str = "syntax", tag: str | None = None, index: int | None = None
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.tag = tag
        self.index = index


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the output
    language: str | None = None  # set on a <pre> by an inner <code class="language-x">


@dataclass
class ParsedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


# Telegram's limit for one message's text after entities are parsed, in UTF-16 code units.
MAX_TEXT_UTF16 = 4096


def utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _byte_offset(src: str, index: int) -> int:
    return len(src[:index].encode("utf-8", "surrogatepass"))


def _decode_entity(src: str, index: int) -> tuple[str, int] | None:
    """Decode the entity at src[index] == "&": (character, chars consumed) or None."""
    match = _ENTITY_RE.match(src, index)
    if match is None:
        return None
    body = match.group(1)
    if body.startswith("#"):
        code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        return chr(code), match.end() - index
    if body not in _NAMED:
        return None
    return _NAMED[body], match.end() - index


def _decode_attribute(value: str) -> str:
    # Attribute values are decoded leniently, like Telegram: URLs often carry a bare "&".
    return _ENTITY_RE.sub(lambda m: (_decode_entity(m.group(0), 0) or (m.group(0), 0))[0], value)


class _Parser:
    def __init__(self, src: str) -> None:
        self.src = src
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def fail(
        self,
        message: str,
        index: int | None = None,
        *,
        reason: str = "syntax",
        tag: str | None = None,
        at: int | None = None,
    ) -> EntityParseError:
        if index is not None:
            message = f"{message} at byte offset {_byte_offset(self.src, index)}"
        return EntityParseError(message, reason, tag, index if index is not None else at)

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos16 += utf16_len(text)

    def run(self) -> ParsedText:
        src, i = self.src, 0
        while i < len(src):
            ch = src[i]
            if ch == "<":
                i = self.end_tag(i) if src.startswith("</", i) else self.start_tag(i)
            elif ch == "&":
                decoded = _decode_entity(src, i)
                if decoded is None:
                    if _ENTITY_RE.match(src, i):
                        raise self.fail("Unsupported HTML entity", i, reason="entity")
                    raise self.fail('Character "&" must be escaped as "&amp;"', i, reason="amp")
                self.emit(decoded[0])
                i += decoded[1]
            elif ch == ">":
                raise self.fail('Character ">" must be escaped as "&gt;"', i, reason="gt")
            else:
                self.emit(ch)
                i += 1
        if self.stack:
            tag = self.stack[-1].tag
            raise self.fail(
                f'Can\'t find end tag corresponding to start tag "{tag}"',
                reason="unclosed",
                tag=tag,
            )
        return ParsedText("".join(self.out), _finish(self.entities))

    def read_name(self, i: int) -> int:
        while (
            i < len(self.src)
            and self.src[i].isascii()
            and (self.src[i].isalnum() or self.src[i] in "-_")
        ):
            i += 1
        return i

    def skip_spaces(self, i: int) -> int:
        while i < len(self.src) and self.src[i].isspace():
            i += 1
        return i

    def start_tag(self, begin: int) -> int:
        end = self.read_name(begin + 1)
        tag = self.src[begin + 1 : end].lower()
        if tag not in _ENTITY_TYPES:
            raise self.fail(f'Unsupported start tag "{tag}"', begin, reason="tag", tag=tag)
        attrs, i = self.attributes(tag, begin, end)
        self.check_tag(tag, attrs, begin)
        self.stack.append(_Open(tag, attrs, self.pos16))
        return i

    def attributes(self, tag: str, begin: int, i: int) -> tuple[dict[str, str], int]:
        src = self.src
        attrs: dict[str, str] = {}
        while True:
            i = self.skip_spaces(i)
            if i >= len(src):
                raise self.fail("Unclosed start tag", begin)
            if src[i] == ">":
                return attrs, i + 1
            name_end = self.read_name(i)
            name = src[i:name_end].lower()
            if not name:
                raise self.fail(f'Empty attribute name in the tag "{tag}"', begin)
            i = self.skip_spaces(name_end)
            if i >= len(src) or src[i] != "=":
                if tag == "blockquote" and name == "expandable":
                    attrs[name] = ""
                    continue
                raise self.fail(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}"', begin
                )
            i = self.skip_spaces(i + 1)
            if i >= len(src):
                raise self.fail("Unclosed start tag", begin)
            if src[i] in "\"'":
                close = src.find(src[i], i + 1)
                if close < 0:
                    raise self.fail("Unclosed start tag", begin)
                value, i = src[i + 1 : close], close + 1
            else:
                value_end = i
                while (
                    value_end < len(src) and not src[value_end].isspace() and src[value_end] != ">"
                ):
                    value_end += 1
                value, i = src[i:value_end], value_end
            attrs.setdefault(name, _decode_attribute(value))

    def check_tag(self, tag: str, attrs: dict[str, str], begin: int) -> None:
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise self.fail(
                'Tag "span" must have class "tg-spoiler"', begin, reason="span", tag=tag
            )
        if tag == "a" and not attrs.get("href", "").strip():
            # Sandbox-strict: a link without a target is almost always a template bug.
            raise self.fail('Tag "a" must have attribute "href"', begin, reason="href", tag=tag)
        if tag == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise self.fail(
                "Invalid custom emoji identifier specified", reason="emoji", tag=tag, at=begin
            )

    def end_tag(self, begin: int) -> int:
        if not self.stack:
            raise self.fail("Unexpected end tag", begin, reason="unopened")
        end = self.read_name(begin + 2)
        tag = self.src[begin + 2 : end].lower()
        if end >= len(self.src) or self.src[end] != ">":
            raise self.fail("Unclosed end tag", begin)
        top = self.stack[-1]
        if tag != top.tag:
            raise self.fail(
                f"Unmatched end tag at byte offset {_byte_offset(self.src, begin)}, "
                f'expected "</{top.tag}>", found "</{tag}>"',
                reason="mismatch",
                tag=top.tag,
                at=begin,
            )
        self.stack.pop()
        self.close(top)
        return end + 1

    def close(self, top: _Open) -> None:
        parent = self.stack[-1] if self.stack else None
        if top.tag == "code" and parent is not None and parent.tag == "pre":
            # <pre><code class="language-x"> is one pre entity carrying the language.
            css = top.attrs.get("class", "")
            if css.startswith("language-") and len(css) > len("language-"):
                parent.language = css[len("language-") :]
            return
        length = self.pos16 - top.start
        if length == 0 or any(o.tag in ("code", "pre") for o in self.stack):
            # Empty entities vanish; nothing can be styled inside monospace.
            return
        self.entities.append(_entity(top, length))


def _entity(top: _Open, length: int) -> dict[str, Any]:
    """The MessageEntity a closed tag makes, with what its type carries."""
    entity: dict[str, Any] = {"offset": top.start, "length": length}
    kind = _ENTITY_TYPES[top.tag]
    if top.tag == "blockquote" and "expandable" in top.attrs:
        kind = "expandable_blockquote"
    entity["type"] = kind
    if kind == "text_link":
        entity["url"] = top.attrs["href"].strip()
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = top.attrs["emoji-id"]
    elif kind == "pre" and top.language:
        entity["language"] = top.language
    return entity


def _finish(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sort like Telegram (offset, then outer first) and merge touching same-style runs."""
    merged: list[dict[str, Any]] = []
    for entity in sorted(entities, key=lambda e: (e["offset"], -e["length"])):
        previous = next((m for m in reversed(merged) if m["type"] == entity["type"]), None)
        if (
            previous is not None
            and entity["type"] in _MERGEABLE
            and previous["offset"] + previous["length"] == entity["offset"]
        ):
            previous["length"] += entity["length"]
            continue
        merged.append(entity)
    return sorted(merged, key=lambda e: (e["offset"], -e["length"]))


def parse_html(src: str) -> ParsedText:
    """Parse Telegram-flavoured HTML; raises EntityParseError with Telegram's wording."""
    return _Parser(src).run()
