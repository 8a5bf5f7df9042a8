"""Migration 22: staff names and menus shared by every worker.

Issue 16, part 4: several workers share one database, so nothing a worker learns about a
staff chat may live only in its memory. `staff_chats` keeps, per admin or staff member who
wrote to the bot, the first name colleagues see in /staff (Telegram shows it to them anyway)
and whether their own staff command menu is set, so each worker shows the same names and the
menu is set once per deployment. It goes with the user on /forget (CASCADE) and with the staff
role when an admin removes them.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql


def _staff_chats(integer: str) -> str:
    return f"""
    CREATE TABLE staff_chats (
        telegram_id {integer} PRIMARY KEY REFERENCES users (telegram_id) ON DELETE CASCADE,
        first_name TEXT NULL,
        menu_set {integer} NOT NULL DEFAULT 0 CHECK (menu_set IN (0, 1))
    )
    """


MIGRATION = Migration(
    22,
    "staff names and menus shared by every worker",
    sql(_staff_chats("INTEGER")),
    postgres=sql(_staff_chats("BIGINT")),
)
