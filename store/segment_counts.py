"""The segment picker's SQL text (store/broadcasts.py BroadcastRepository): every segment's
count in one pass over the volunteers, and how fresh the gateway facts behind them are. Pure
text of the engine and the mode; the repository builds it once and keeps it."""

from __future__ import annotations

from store.dialect import json_ids
from store.engine import Dialect


def facts_sql(dialect: Dialect) -> str:
    """The oldest fact and the linked volunteers without one, over reachable volunteers (one
    parameter: the admins as a JSON array)."""
    return f"""
        SELECT MIN(f.consents_at) AS consents, MIN(f.records_at) AS records,
            COALESCE(SUM(CASE WHEN f.consents_at IS NULL THEN 1 ELSE 0 END), 0) AS unknown
        FROM users u JOIN links l ON l.telegram_id = u.telegram_id
        LEFT JOIN volunteer_facts f
            ON f.telegram_id = u.telegram_id AND f.link_id = l.link_id
        WHERE u.blocked_at IS NULL
            AND u.telegram_id NOT IN (SELECT telegram_id FROM staff)
            AND u.telegram_id NOT IN ({json_ids(dialect)})
        """


def picker_sql(conditions: list[str], every: str, fresh: Dialect | None) -> str:
    """Per segment n (its condition over `users u`): recipients rN, blocked bN, notices off
    nN, among the volunteers `every` selects. Parameters: one reminder flag per segment,
    then `every`'s; with `fresh` (the engine), facts_sql()'s columns beside them, and its
    parameter last."""
    flags = ", ".join(f"CASE WHEN {c} THEN 1 ELSE 0 END AS s{n}" for n, c in enumerate(conditions))
    sums = ", ".join(
        f"COALESCE(SUM(CASE WHEN s{n} = 1 AND blocked_at IS NULL AND (? = 0 OR reminders = 1)"
        f" THEN 1 ELSE 0 END), 0) AS r{n},"
        f" COALESCE(SUM(CASE WHEN s{n} = 1 AND blocked_at IS NOT NULL THEN 1 ELSE 0 END), 0)"
        f" AS b{n},"
        f" COALESCE(SUM(CASE WHEN s{n} = 1 AND blocked_at IS NULL AND reminders = 0"
        f" THEN 1 ELSE 0 END), 0) AS n{n}"
        for n in range(len(conditions))
    )
    counted = (
        f"SELECT {sums} FROM (SELECT u.blocked_at, u.reminders, {flags}"
        f" FROM users u WHERE {every}) v"
    )
    if fresh is None:
        return counted
    # Two one-row queries side by side: one statement, one trip.
    return f"SELECT c.*, fr.* FROM ({counted}) c CROSS JOIN ({facts_sql(fresh)}) fr"
