"""The console demo's line about the staff desk (Mini App): how to open it in a browser here.

Telegram opens Mini Apps over HTTPS only, so the demo cannot show it inside a chat; but the
desk's own server (WEB_LISTEN) serves the same pages over loopback http, and a link carrying
initData signed for the demo's staff user (as Telegram appends it, #tgWebAppData=…) opens them
signed in. Without WEB_URL the line says what to set.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import init_data_py

from bot.runtime import BotRuntime


def desk_link(runtime: BotRuntime, staff_id: int, first_name: str, lang: str) -> str | None:
    """The loopback address of the desk's 오늘 page, signed in as the staff user for an hour
    of the demo's clock; None when the desk does not run (WEB_URL unset)."""
    services = runtime.app.bot_data.services
    if runtime.desk_url is None or services is None:
        return None
    user = json.dumps({"id": staff_id, "first_name": first_name, "language_code": lang})
    signed = init_data_py.sign(
        {"user": user}, runtime.app.bot.token, auth_date=services.clock.now()
    )
    path = services.settings.web_path.rstrip("/") + "/"
    return f"{runtime.desk_url}{path}#today&tgWebAppData={quote(signed, safe='')}"
