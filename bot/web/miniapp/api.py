"""The staff desk's JSON API (openapi.yaml beside this file is the contract).

Every call: initData checked (auth.py), then the caller's role looked up in the store (a
removed staff member is refused at once), then the same services the chat handlers call.
Every state change: a POST with a server-issued Idempotency-Key (bot/services/desk.py), run
once; the same key again answers what the first did.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, Protocol

import init_data_py
import orjson
from aiohttp import web

from bot.services.broadcasts import SEGMENTS, Freshness, Segment
from bot.services.composer import MAX_TEXT_UTF16, Problem, check
from bot.services.container import Services
from bot.services.help_requests import HelpRequest
from bot.services.reminders import Schedule
from bot.web.miniapp import auth, preview
from core.telegram_html import utf16_len
from core.types import Lang

logger = logging.getLogger(__name__)

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_BODY = 64 * 1024
# What _once hands a state change: the draft stored under its key; and what the change says
# back: the volunteer its answer is about (the stored answer goes on their /forget).
DRAFT: web.RequestKey[dict[str, Any] | None] = web.RequestKey("desk.draft", dict)
ABOUT: web.RequestKey[int] = web.RequestKey("desk.about", int)


class Relayed(Protocol):
    @property
    def outcome(self) -> str: ...
    @property
    def over(self) -> int: ...
    @property
    def limit(self) -> int: ...
    @property
    def reason(self) -> str: ...


class Relay(Protocol):
    """The chat's answer path (handlers/help_requests.relay_answer), bound to the bot."""

    async def __call__(
        self, request: HelpRequest, staff_id: int, staff_name: str | None, text: str
    ) -> Relayed: ...


class Wording(Protocol):
    """The chat's own sentences (handlers/desk_wording.py)."""

    def problem(self, lang: str, problem: Problem) -> str: ...
    def freshness(self, lang: str, fresh: Freshness | None, now: datetime, tz: tzinfo) -> str: ...
    def segment(self, lang: str, segment: Segment, guide: bool) -> str: ...
    def schedule_text(self, lang: str, schedule: Schedule, now: datetime, tz: tzinfo) -> str: ...
    def audit_line(
        self,
        lang: str,
        action: str,
        actor: int | None,
        detail: dict[str, object],
        name_of: Callable[[int], str],
    ) -> str: ...


Text = Callable[..., str]  # (lang, key, **values) → the catalog sentence (bot.i18n.raw)


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: dict[str, Any] | None = None, **fmt: Any):
        super().__init__(code)
        self.status, self.code, self.detail, self.fmt = status, code, detail, fmt


@dataclass(frozen=True)
class Caller:
    id: int
    role: str
    lang: str
    first_name: str | None


@dataclass
class Desk:
    """What the API runs on."""

    services: Services
    token: str
    relay: Relay
    wording: Wording
    text: Text


Handler = Callable[[web.Request, Caller], Awaitable[web.StreamResponse]]


def json_response(
    data: dict[str, Any], *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON answer, encoded by orjson: several times faster than json.dumps on the desk's
    lists (its share of a click's CPU), and Korean kept as UTF-8 instead of escaped code points."""
    return web.Response(
        body=orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS),
        status=status,
        headers=headers,
        content_type="application/json",
    )


def _error(desk: Desk, lang: str, err: ApiError) -> web.Response:
    message = desk.text(lang, f"desk.error.{err.code}", **err.fmt)
    body: dict[str, Any] = {"code": err.code, "message": message}
    if err.detail is not None:
        body["detail"] = err.detail
    return json_response({"error": body}, status=err.status)


def _unverified_lang(header: str | None) -> str:
    """The language a refused caller's app claims: only to word the refusal."""
    try:
        data = init_data_py.parse(init_data_py.strip_auth_header(header or ""))
        code = data.user.language_code if data.user is not None else None
    except Exception:
        code = None
    return "en" if code and code.lower().startswith("en") else "ko"


def _lang(request: web.Request, caller: Caller | None) -> str:
    """The caller's language; for a refused caller, what their app claims (parsed only then:
    a second parse of initData on every call is a cost the answer rarely needs)."""
    if caller is not None:
        return caller.lang
    return _unverified_lang(request.headers.get("Authorization"))


async def _caller(desk: Desk, request: web.Request) -> Caller:
    services = desk.services
    header = request.headers.get("Authorization")
    try:
        signed = auth.check(header, desk.token, services.clock.now())
    except auth.AuthError as exc:
        raise ApiError(401, exc.code) from None
    # Role, user row and kept name in one read of the store, on every call (no cache another
    # worker could leave stale); a write only when something changed.
    found = await services.desk.caller(signed.user_id, signed.first_name, signed.language_code)
    if found is None:
        raise ApiError(403, "not_staff")
    return Caller(signed.user_id, found.role, found.lang, signed.first_name)


def route(desk: Desk, handler: Handler, *, mutating: bool = False) -> Any:
    async def run(request: web.Request) -> web.StreamResponse:
        caller: Caller | None = None
        try:
            caller = await _caller(desk, request)
            if not mutating:
                return await handler(request, caller)
            return await _once(desk, request, caller, handler)
        except ApiError as err:
            return _error(desk, _lang(request, caller), err)
        except Exception as exc:
            logger.error("desk API: %s failed (%s)", request.path, type(exc).__name__)
            return _error(desk, _lang(request, caller), ApiError(500, "internal"))

    return run


async def _once(desk: Desk, request: web.Request, caller: Caller, handler: Handler) -> web.Response:
    """Runs a state change at most once per key; a replay answers what the first run did."""
    key = request.headers.get(KEY_HEADER, "").strip()
    if not key:
        raise ApiError(400, "key_missing")
    services = desk.services
    claim = await services.desk.claim(key, caller.id, request.path)
    if claim.state == "done":
        assert claim.status is not None and claim.response is not None
        return json_response(claim.response, status=claim.status, headers={REPLAYED_HEADER: "true"})
    if claim.state == "unknown":
        raise ApiError(400, "key_unknown")
    if claim.state == "running":
        raise ApiError(409, "key_in_use")
    if claim.state == "reused":
        raise ApiError(409, "key_reused")
    request[DRAFT] = claim.draft
    try:
        response = await handler(request, caller)
    except ApiError as err:
        if err.status < 500 and err.code not in ("already_answered", "draft_used"):
            await services.desk.release(key)  # the request was at fault: fix and resend
            raise
        answer = _error(desk, caller.lang, err)
        await services.desk.finish(key, err.status, json.loads(answer.text or "{}"))
        return answer
    except BaseException:
        await services.desk.release(key)
        raise
    assert isinstance(response, web.Response)
    await services.desk.finish(
        key, response.status, json.loads(response.text or "{}"), request.get(ABOUT)
    )
    return response


# --- request helpers ------------------------------------------------------------------------


async def body(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise ApiError(400, "bad_request")
    try:
        data = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad_request") from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_request")
    return data


def int_query(request: web.Request, name: str, default: int | None, lo: int, hi: int) -> int | None:
    raw = request.query.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not lo <= int(raw) <= hi:
        raise ApiError(400, "bad_request")
    return int(raw)


def language(value: object) -> Lang | None:
    if value is None:
        return None
    if value == "ko" or value == "en":
        return value
    raise ApiError(400, "bad_request")


def segment(value: object, allowed: tuple[Segment, ...]) -> Segment:
    if value not in SEGMENTS or value not in allowed:
        raise ApiError(400, "bad_request")
    return value  # type: ignore[return-value]


def text_field(data: dict[str, Any], name: str, *, required: bool) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or len(value) > 20000:
        raise ApiError(400, "bad_request")
    return value


def one_preview(desk: Desk, lang: str, source: str) -> dict[str, Any]:
    """The composer's verdict on one text and, if it passes, Telegram's rendering of it."""
    problem = check(source)
    if problem is not None:
        return {
            "text": None,
            "entities": [],
            "html": None,
            "length": problem.length,
            "limit": MAX_TEXT_UTF16,
            "problem": {
                "reason": problem.reason,
                "tag": problem.tag,
                "position": problem.position,
                "length": problem.length,
                "message": desk.wording.problem(lang, problem),
            },
        }
    text, entities = preview.parsed(source)
    return {
        "text": text,
        "entities": entities,
        "html": preview.render(text, entities),
        "length": utf16_len(text),
        "limit": MAX_TEXT_UTF16,
        "problem": None,
    }


def previews(desk: Desk, lang: str, text_ko: str, text_en: str | None) -> dict[str, Any]:
    ko = one_preview(desk, lang, text_ko)
    en = one_preview(desk, lang, text_en) if text_en else None
    ok = ko["problem"] is None and (en is None or en["problem"] is None)
    return {"ok": ok, "ko": ko, "en": en}


def require_ok(pair: dict[str, Any]) -> None:
    if not pair["ok"]:
        problems = {
            lang: pair[lang]["problem"]
            for lang in ("ko", "en")
            if pair[lang] is not None and pair[lang]["problem"] is not None
        }
        raise ApiError(422, "html_invalid", {"problems": problems})
