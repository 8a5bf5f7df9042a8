"""Small domain types, defined once for every layer."""

from __future__ import annotations

from typing import Literal

Lang = Literal["ko", "en"]
LANGUAGES: tuple[Lang, ...] = ("ko", "en")  # the first is the default

Site = Literal["1365", "vms"]
SITES: tuple[Site, ...] = ("1365", "vms")  # the order volunteers must consent in: 1365 first


# The 1365 account behind a member: "other" is a state newer than this bot (contract v1.1).
AccountState = Literal["active", "not_found", "other"]


def language_from_client(language_code: str | None) -> Lang:
    """The language to use before the user picks one: English for English clients, else Korean."""
    if language_code and language_code.lower().startswith("en"):
        return "en"
    return "ko"
