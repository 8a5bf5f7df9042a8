"""initData as Telegram signs it for a Mini App, made with the test bot's token.

Telegram's algorithm (core.telegram.org/bots/webapps, "Validating data received via the Mini
App"): the fields other than `hash`, as `key=value` lines sorted by key and joined by "\n",
are signed with HMAC-SHA256 under the key HMAC-SHA256("WebAppData", bot token); `hash` is that
signature in hex. The page receives it URL-encoded in the launch fragment as tgWebAppData.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode


def sign(token: str, fields: dict[str, str]) -> str:
    """`fields` (without hash) URL-encoded, with Telegram's hash appended."""
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


def init_data(
    token: str,
    user_id: int,
    *,
    signed_at: datetime,
    first_name: str = "지수",
    language_code: str = "ko",
) -> str:
    user: dict[str, Any] = {
        "id": user_id,
        "first_name": first_name,
        "language_code": language_code,
        "allows_write_to_pm": True,
    }
    return sign(
        token,
        {
            "query_id": f"AAE{user_id}test",
            "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
            "auth_date": str(int(signed_at.timestamp())),
        },
    )


def tampered(data: str) -> str:
    """The same initData with one character of its hash changed, as a forger would send it."""
    fields = dict(parse_qsl(data))
    digest = fields["hash"]
    fields["hash"] = ("0" if digest[0] != "0" else "1") + digest[1:]
    return urlencode(fields)


def launch_fragment(
    data: str, theme: dict[str, str], *, platform: str = "android", page: str = ""
) -> str:
    """The fragment Telegram appends to a Mini App's URL when it opens it; after the URL's
    own fragment (`page`, as the bot's buttons open WEB_URL#broadcast) it follows an "&"."""
    params = "&".join(
        [
            f"tgWebAppData={quote(data, safe='')}",
            "tgWebAppVersion=8.0",
            f"tgWebAppPlatform={platform}",
            f"tgWebAppThemeParams={quote(json.dumps(theme), safe='')}",
        ]
    )
    return f"#{page}&{params}" if page else f"#{params}"
