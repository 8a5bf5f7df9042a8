"""Who is calling: Telegram's signed initData, checked on every API call (no cookies).

`Authorization: tma <initData>`. init-data-py checks the HMAC with the bot token (Telegram's
documented algorithm); we add the window: auth_date at most MAX_AGE old on the injectable
clock and not in the future (beyond a little skew), so captured initData cannot be replayed
after that hour.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

import init_data_py
from init_data_py import errors

MAX_AGE = timedelta(hours=1)
# Telegram's clock and ours may disagree a little; more than this is not a clock's drift.
FUTURE_SKEW = timedelta(minutes=1)
SCHEME = "tma"


@dataclass(frozen=True)
class Signed:
    """The Telegram user the initData was signed for."""

    user_id: int
    first_name: str | None
    language_code: str | None


class AuthError(Exception):
    """`code`: auth_missing, auth_invalid or auth_expired (the API's error codes)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@functools.lru_cache(maxsize=4)
def _secret(token: str) -> str:
    # The token's digest (init-data-py's hash_token): the same on every call, so computed once.
    return init_data_py.hash_token(token)


def check(header: str | None, token: str, now: datetime) -> Signed:
    if not header:
        raise AuthError("auth_missing")
    scheme, _, raw = header.strip().partition(" ")
    if scheme.lower() != SCHEME or not raw.strip():
        raise AuthError("auth_missing")
    try:
        data = init_data_py.validate_by_hash(
            raw.strip(), _secret(token), expires_in=MAX_AGE, now=now, token_hashed=True
        )
    except errors.ExpiredError:
        raise AuthError("auth_expired") from None
    except errors.InvalidInitDataError:
        raise AuthError("auth_invalid") from None
    if data.issued_at > now + FUTURE_SKEW:
        raise AuthError("auth_invalid")
    if data.user is None:
        raise AuthError("auth_invalid")
    return Signed(data.user.id, data.user.first_name, data.user.language_code)
