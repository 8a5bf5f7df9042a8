"""Where the desk is served: its pages (static/) and its API, under WEB_URL's path.

Added to the webhook's own aiohttp app in webhook mode, or to a small app of its own on
WEB_LISTEN in polling mode and the demo. Static files get an ETag (a 304 when unchanged),
gzip when the browser takes it, `no-cache` for index.html (always revalidated, so a new
version shows at once) and a short max-age for the rest.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bot.web.miniapp.api import Desk, json_response, route
from bot.web.miniapp.endpoints import Endpoints

STATIC_DIR = Path(__file__).parent / "static"
OPENAPI = Path(__file__).parent / "openapi.yaml"
ASSET_MAX_AGE = 300  # seconds; index.html is always revalidated
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
_MIN_GZIP = 512


@dataclass(frozen=True)
class _File:
    body: bytes
    gzipped: bytes | None
    content_type: str
    etag: str


class StaticFiles:
    """Files of one directory, read once per change (mtime) and kept with their gzip."""

    def __init__(self, root: Path) -> None:
        self._root = root.resolve()
        self._cache: dict[Path, tuple[float, _File]] = {}

    def _load(self, name: str) -> _File | None:
        path = (self._root / name).resolve()
        if self._root not in path.parents or not path.is_file():
            return None
        mtime = path.stat().st_mtime
        cached = self._cache.get(path)
        if cached is not None and cached[0] == mtime:
            return cached[1]
        data = path.read_bytes()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type == "application/javascript":
            content_type += "; charset=utf-8"
        squeezed = None
        if len(data) >= _MIN_GZIP and content_type.startswith(_COMPRESSIBLE):
            squeezed = gzip.compress(data, compresslevel=9, mtime=0)
        loaded = _File(data, squeezed, content_type, f'"{hashlib.sha256(data).hexdigest()[:32]}"')
        self._cache[path] = (mtime, loaded)
        return loaded

    async def serve(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info.get("name", "") or "index.html"
        found = self._load(name)
        if found is None:
            raise web.HTTPNotFound()
        cache = "no-cache" if name == "index.html" else f"public, max-age={ASSET_MAX_AGE}"
        headers = {
            "Cache-Control": cache,
            "ETag": found.etag,
            "Vary": "Accept-Encoding",
            "X-Content-Type-Options": "nosniff",
        }
        if request.headers.get("If-None-Match") == found.etag:
            return web.Response(status=304, headers=headers)
        body = found.body
        if found.gzipped is not None and "gzip" in request.headers.get("Accept-Encoding", ""):
            body, headers["Content-Encoding"] = found.gzipped, "gzip"
        headers["Content-Type"] = found.content_type
        return web.Response(body=body, headers=headers)


def base_path(path: str) -> str:
    """WEB_URL's path with one trailing slash ("/desk" → "/desk/", "" → "/")."""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def add_desk(app: web.Application, desk: Desk, *, path: str, static: Path = STATIC_DIR) -> None:
    """The desk's routes on `app`, under `path`. Add them after the app's own routes: the
    static route takes everything else under `path`."""
    base = base_path(path)
    api = base + "api/"
    e = Endpoints(desk)
    get = {
        "me": e.me,
        "nonce": e.nonce,
        "today": e.today,
        "segments": e.segments,
        "broadcasts": e.list_broadcasts,
        "broadcasts/{broadcast_id}": e.get_broadcast,
        "reminders": e.list_reminders,
        "reminders/{reminder_id}": e.get_reminder,
        "questions": e.list_questions,
        "volunteers": e.find_volunteer,
        "audit": e.audit,
    }
    for name, handler in get.items():
        app.router.add_get(api + name, route(desk, handler))
    # Preview changes nothing: a POST for its JSON body, without a key.
    app.router.add_post(api + "preview", route(desk, e.preview))
    post = {
        "broadcasts/drafts": e.create_draft,
        "broadcasts/drafts/{draft_id}/confirm": e.confirm_draft,
        "broadcasts/{broadcast_id}/cancel": e.cancel_broadcast,
        "reminders": e.create_reminder,
        "reminders/{reminder_id}/{action}": e.change_reminder,
        "questions/{question_id}/answer": e.answer_question,
    }
    for name, handler in post.items():
        app.router.add_post(api + name, route(desk, handler, mutating=True))
    files = StaticFiles(static)

    async def openapi(request: web.Request) -> web.Response:
        return web.Response(body=OPENAPI.read_bytes(), headers={"Content-Type": "application/yaml"})

    app.router.add_get(api + "openapi.yaml", openapi)
    app.router.add_route("*", api + "{tail:.*}", _api_not_found)
    app.router.add_get(base + "{name:[A-Za-z0-9._/-]*}", files.serve)


async def _api_not_found(request: web.Request) -> web.Response:
    return json_response({"error": {"code": "not_found", "message": "not found"}}, status=404)


def desk_app(desk: Desk, *, path: str) -> web.Application:
    """A server of its own for polling mode and the demo (WEB_LISTEN)."""
    app = web.Application(client_max_size=64 * 1024)
    add_desk(app, desk, path=path)
    return app
