"""The services one running bot shares, built once and handed to handlers through the context."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.services.users import UserService
from bot.settings import Settings
from store.db import Database
from store.users import UserRepository


@dataclass(slots=True)
class Services:
    """Everything a handler may call; handlers never reach the store directly."""

    settings: Settings
    clock: Clock
    db: Database
    users: UserService

    @classmethod
    def create(cls, settings: Settings, clock: Clock, db: Database) -> Services:
        return cls(settings=settings, clock=clock, db=db, users=UserService(UserRepository(db)))
