"""Everything the bot keeps on disk; all SQL lives in this package."""

from store.db import Database, Transaction
from store.migrations import SchemaTooNewError
from store.users import User, UserRepository

__all__ = [
    "Database",
    "SchemaTooNewError",
    "Transaction",
    "User",
    "UserRepository",
]
