"""The aiohttp application: /bot<token>/<method> like Telegram, plus the /sandbox side door."""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import dispatch
from .call import Call
from .errors import ApiError, not_found
from .params import Params, read_params
from .user_http import user_routes

if TYPE_CHECKING:
    from .sandbox import BotApiSandbox

log = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_dumps = partial(json.dumps, ensure_ascii=False)


def telegram_response(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.json_response(body, status=status, dumps=_dumps)


def build_app(sandbox: BotApiSandbox) -> web.Application:
    """Routes in match order: the side door, the Bot API, then Telegram's 404 for the rest."""

    async def bot_api(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw: dict[str, Any] = {}
        try:
            raw = await read_params(request)
            token = request.match_info["token"]
            bot_id = sandbox.authenticate(token)
            method = dispatch.canonical_name(method)
            await sandbox.holds.check(method, raw, delivered=False, caller=token)
            body = await dispatch.run(method, Call(sandbox.world, Params(raw), bot_id))
            await sandbox.holds.check(method, raw, delivered=True, caller=token)
            return telegram_response(body)
        except ApiError as err:
            sandbox.record_rejection(method, raw, err)
            return telegram_response(err.payload(), err.error_code)
        except Exception:
            # A sandbox bug must fail loudly, never look like a Telegram answer.
            log.exception("sandbox failed on %s", method)
            bug = ApiError(500, "Internal Server Error: sandbox bug, see its log")
            sandbox.record_rejection(method, raw, bug)
            return telegram_response(bug.payload(), 500)

    async def elsewhere(request: web.Request) -> web.Response:
        return telegram_response(not_found().payload(), 404)

    # Telegram takes uploads up to 50 MB; aiohttp's default body limit is 1 MB.
    app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
    app.add_routes(user_routes(sandbox))
    app.router.add_route("*", "/bot{token}/{method}", bot_api)
    app.router.add_route("*", "/{tail:.*}", elsewhere)
    return app
