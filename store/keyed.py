"""Keyed hashes (HMAC-SHA256) of who did something, for counters that must outlive /forget.

The key is this installation's own secret (migration 16, table `installation`): without it a
stored hash cannot be matched against a list of Telegram ids or VMS IDs, which a plain hash
of such short numbers and names could. No database access here, so migrations can use it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SECRET_NAME = "rate_limit_key"
SECRET_BYTES = 32


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def _digest(secret: bytes, *parts: str) -> bytes:
    # A separator no part can contain keeps ("1", "23") and ("12", "3") apart.
    return hmac.new(secret, "\x00".join(parts).encode(), hashlib.sha256).digest()


def account_key(secret: bytes, telegram_id: int) -> bytes:
    """One Telegram account."""
    return _digest(secret, "account", str(telegram_id))


def account_and_id_key(secret: bytes, telegram_id: int, vms_id: str) -> bytes:
    """One Telegram account asking about one VMS ID (as the gateway counts it: lower-cased)."""
    return _digest(secret, "account+vms_id", str(telegram_id), vms_id.lower())
