"""The few SQL expressions the two engines spell differently, one function each.

Repositories write one SQL text for both engines wherever the standard serves (ON CONFLICT,
RETURNING, CASE WHEN, COALESCE(SUM(…), 0), ISO timestamps compared as text). What is left is
JSON and date arithmetic, which SQLite and PostgreSQL name differently: those come from
here, given the engine's `dialect` (store/engine.py), so each repository keeps one text
with a slot in it instead of two copies of a query.
"""

from __future__ import annotations

from store.engine import Dialect


def json_ids(dialect: Dialect, param: str = "?", sql_type: str = "BIGINT") -> str:
    """A subquery body giving one row per element of a JSON array parameter (ids passed as
    one `json.dumps(list)` so a statement has a fixed number of placeholders):
    `x IN ({json_ids(d)})`."""
    if dialect == "postgres":
        return (
            f"SELECT CAST(value AS {sql_type})"
            f" FROM jsonb_array_elements_text(CAST({param} AS jsonb))"
        )
    return f"SELECT value FROM json_each({param})"


def id_list(dialect: Dialect, expr: str) -> str:
    """An aggregate of integer `expr` as one text "3,5,8" (any order; NULL over no rows)."""
    if dialect == "postgres":
        return f"string_agg(CAST({expr} AS TEXT), ',')"
    return f"group_concat({expr}, ',')"


def json_text(dialect: Dialect, expr: str, *path: str) -> str:
    """A field of a JSON text column, or NULL where it is absent. SQLite gives the JSON
    value as SQL (a number stays a number); PostgreSQL gives text: compare with IS NULL or
    with text, nothing else."""
    if dialect == "postgres":
        return f"(CAST({expr} AS jsonb) #>> '{{{','.join(path)}}}')"
    return f"json_extract({expr}, '$.{'.'.join(path)}')"


def json_total(dialect: Dialect, expr: str, *path: str) -> str:
    """The sum over rows of a numeric or boolean (true = 1) field of a JSON text column; 0
    over no rows. Written exactly as the status_cache_counts index's expressions (migration
    14 on SQLite, store/pg_baseline.py on PostgreSQL) so each engine reads the index."""
    if dialect == "postgres":
        field = f"(CAST({expr} AS jsonb) #> '{{{','.join(path)}}}')"
        return (
            f"COALESCE(SUM(CASE WHEN {field} = 'true'::jsonb THEN 1"
            f" WHEN jsonb_typeof({field}) = 'number' THEN CAST({field} AS NUMERIC)"
            " ELSE 0 END), 0)"
        )
    return f"TOTAL(json_extract({expr}, '$.{'.'.join(path)}'))"


def weeks_between(dialect: Dialect, start: str, later: str) -> str:
    """Whole weeks from `start` to `later` (ISO timestamp text, `later` ≥ `start`)."""
    if dialect == "postgres":
        # Through TEXT first: a bare parameter cast to timestamptz would be typed as one,
        # and the same parameter is compared with text columns elsewhere in the statement.
        seconds = (
            f"EXTRACT(EPOCH FROM CAST(CAST({later} AS TEXT) AS timestamptz)"
            f" - CAST(CAST({start} AS TEXT) AS timestamptz))"
        )
        return f"CAST(FLOOR({seconds} / 604800) AS INTEGER)"
    return f"CAST((julianday({later}) - julianday({start})) / 7 AS INTEGER)"


def greatest(dialect: Dialect, a: str, b: str) -> str:
    """The larger of two values (SQLite's two-argument max() is PostgreSQL's GREATEST)."""
    return f"GREATEST({a}, {b})" if dialect == "postgres" else f"max({a}, {b})"


def least(dialect: Dialect, a: str, b: str) -> str:
    """The smaller of two values (SQLite's two-argument min() is PostgreSQL's LEAST)."""
    return f"LEAST({a}, {b})" if dialect == "postgres" else f"min({a}, {b})"


def indexed_by(dialect: Dialect, index: str) -> str:
    """SQLite's INDEXED BY: a missing index is an error, not a silent full scan. PostgreSQL
    has no such clause; its planner picks the expression index itself."""
    return "" if dialect == "postgres" else f"INDEXED BY {index}"


def server_seconds(dialect: Dialect) -> str:
    """The database server's own time in seconds since the epoch (a float), as of the
    statement (PostgreSQL: its transaction's start, the same for every use in it). Not the
    injectable clock: this is for "which came first" and pacing across workers, where every
    worker must read the one clock they share."""
    if dialect == "postgres":
        return "CAST(EXTRACT(EPOCH FROM now()) AS DOUBLE PRECISION)"
    return "((julianday('now') - 2440587.5) * 86400.0)"
