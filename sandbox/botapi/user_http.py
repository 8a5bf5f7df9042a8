"""The user side over HTTP (JSON in/out) for consoles running in another process."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .records import TranscriptEntry

if TYPE_CHECKING:
    from .sandbox import BotApiSandbox

_SEND_OPTIONS = (
    "chat_id",
    "first_name",
    "last_name",
    "username",
    "language_code",
    "chat_type",
    "chat_title",
    "reply_to_message_id",
)
Route = Callable[[web.Request], Awaitable[web.Response]]


def entry_json(entry: TranscriptEntry) -> dict[str, Any]:
    data = dataclasses.asdict(entry)
    data["buttons"] = entry.buttons
    return data


def _reply(result: Any, status: int = 200) -> web.Response:
    body = {"ok": status == 200, "result" if status == 200 else "error": result}
    return web.json_response(body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False))


def _guarded(handler: Route) -> Route:
    """Map the Python API's exceptions to HTTP: unknown chat/message/button 404, bad input 400."""

    async def wrapped(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except KeyError as err:  # a field missing from the request body
            return _reply(f"missing field {err}", 400)
        except LookupError as err:
            return _reply(str(err), 404)
        except (ValueError, TypeError) as err:
            return _reply(str(err), 400)

    return wrapped


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise ValueError("send a JSON object") from None
    if not isinstance(body, dict):
        raise ValueError("send a JSON object")
    return body


def user_routes(sandbox: BotApiSandbox) -> list[web.RouteDef]:
    async def send(request: web.Request) -> web.Response:
        body = await _body(request)
        options = {key: body[key] for key in _SEND_OPTIONS if key in body}
        sent = await sandbox.user_send(int(body["user_id"]), str(body["text"]), **options)
        return _reply(dataclasses.asdict(sent))

    async def click(request: web.Request) -> web.Response:
        body = await _body(request)
        sent = await sandbox.user_click(
            int(body["user_id"]),
            int(body["chat_id"]),
            int(body["message_id"]),
            str(body["callback_data"]),
        )
        return _reply(dataclasses.asdict(sent))

    async def press(request: web.Request) -> web.Response:
        body = await _body(request)
        sent = await sandbox.press(
            int(body["user_id"]),
            int(body["chat_id"]),
            int(body["message_id"]),
            str(body["button_text"]),
        )
        return _reply(dataclasses.asdict(sent))

    async def block(request: web.Request) -> web.Response:
        await sandbox.user_block(int((await _body(request))["user_id"]))
        return _reply(True)

    async def unblock(request: web.Request) -> web.Response:
        await sandbox.user_unblock(int((await _body(request))["user_id"]))
        return _reply(True)

    async def deactivate(request: web.Request) -> web.Response:
        await sandbox.user_deactivate(int((await _body(request))["user_id"]))
        return _reply(True)

    async def transcript(request: web.Request) -> web.Response:
        chat_id = int(request.match_info["chat_id"])
        return _reply([entry_json(entry) for entry in sandbox.transcript(chat_id)])

    async def wait(request: web.Request) -> web.Response:
        chat_id = int(request.match_info["chat_id"])
        after = int(request.query.get("after_message_id", "0"))
        timeout = min(float(request.query.get("timeout", "5")), 60.0)
        try:
            entry = await sandbox.wait_bot_message(chat_id, after_message_id=after, timeout=timeout)
        except TimeoutError as err:
            return _reply(str(err), 408)
        return _reply(entry_json(entry))

    async def rejections(request: web.Request) -> web.Response:
        return _reply([dataclasses.asdict(item) for item in sandbox.rejections])

    async def callback_answer(request: web.Request) -> web.Response:
        return _reply(sandbox.callback_answer(request.match_info["query_id"]))

    return [
        web.post("/sandbox/send", _guarded(send)),
        web.post("/sandbox/click", _guarded(click)),
        web.post("/sandbox/press", _guarded(press)),
        web.post("/sandbox/block", _guarded(block)),
        web.post("/sandbox/unblock", _guarded(unblock)),
        web.post("/sandbox/deactivate", _guarded(deactivate)),
        web.get("/sandbox/transcript/{chat_id}", _guarded(transcript)),
        web.get("/sandbox/wait/{chat_id}", _guarded(wait)),
        web.get("/sandbox/rejections", _guarded(rejections)),
        web.get("/sandbox/callback_answer/{query_id}", _guarded(callback_answer)),
    ]
