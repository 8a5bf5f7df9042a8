"""`run_bot.py migrate-store`: a SQLite store made by this release, moved into PostgreSQL.

The source is made by the real bot (sandbox Bot API, sandbox gateway): users, a link, a send,
a broadcast with its delivery, a reminder, a question and its answer, staff and an invite,
the audit log, an open flow, due work, abuse counters, and inbox rows.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from app import build_application
from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.botapi import BotApiSandbox
from sandbox.gateway import GatewaySandbox
from store.db import Database
from store.inbox import InboxRepository
from store.links import LinkRepository
from store.migrations import LATEST_VERSION
from store.transfer import TransferFailed, TransferRefused, dependency_order, transfer
from tests.conftest import ADMIN_ID, make_settings
from tests.helpers.help_requests import ask, copy_for
from tests.helpers.linking import link
from tests.helpers.processes import clean_env, run
from tests.journey import User
from tests.staff.broadcast_helpers import run_to_end
from tests.staff.helpers import invite_link

MINJI = 1001
SUJIN = 2002
PASSWORD = "s3cret-pw"  # the test server trusts its socket: any password is accepted
# What the journey below must have written, or the test would prove less than it says.
FILLED = (
    "users", "links", "sends", "broadcasts", "deliveries", "reminders", "help_requests",
    "help_request_copies", "staff", "staff_invites", "audit_log", "flows", "due_work",
    "rate_events", "inbox", "installation", "status_cache", "volunteer_facts",
)  # fmt: skip


async def make_center(
    sandbox: BotApiSandbox, gateway: GatewaySandbox, db_path: Path, clock: FakeClock
) -> None:
    """A center's SQLite store as today's release leaves it after some use; closed."""
    app = await build_application(make_settings(sandbox, db_path, gateway), clock=clock)
    runtime = BotRuntime(app, poll_timeout=0.5)
    await runtime.start()
    try:
        admin = User(sandbox, runtime, ADMIN_ID, first_name="관리")
        await admin.send("/start")
        _, payload = await invite_link(admin)
        sujin = User(sandbox, runtime, SUJIN, first_name="수진")
        await sujin.send(f"/start {payload}")
        minji = User(sandbox, runtime, MINJI)
        await minji.send("/start")
        await link(minji, gateway, "kindly0904")
        await minji.send("/status")
        await minji.send("/send")
        await minji.click("보내기")
        clock.advance(timedelta(seconds=61))
        await runtime.poller.run_due()
        await sujin.send("/broadcast")
        await sujin.click("모든 봉사자 · 1명")
        await sujin.send("<b>안내</b> 확인해 주세요")
        await sujin.click("모두 같은 글로 보내기")
        await sujin.click("보내기 · 1명")
        await run_to_end(runtime, 1)
        assert "전했어요" in await ask(minji)
        await sujin.reply(copy_for(sandbox, SUJIN, 1).message_id, "답이에요")
        await sujin.send("/remind")
        await sujin.click("⭐ 기본 알림 만들기")
        await User(sandbox, runtime, 1002).send("/link")  # a flow left open
    finally:
        await runtime.stop()
    # Webhook mode's inbox (polling writes none): one open row, one done.
    db = await Database.open(db_path, clock=clock)
    try:
        inbox = InboxRepository(db)
        await inbox.add(900_001, "u:1001", '{"update_id": 900001}')
        await inbox.add(900_002, "u:1002", '{"update_id": 900002}')
        (claimed,) = await inbox.claim("w1", timedelta(minutes=1), limit=1)
        await inbox.complete(claimed.id, "w1")
    finally:
        await db.close()


def sqlite_rows(db_path: Path) -> dict[str, list[dict[str, Any]]]:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: [dict(r) for r in conn.execute(f'SELECT * FROM "{t}"')] for t in tables}


async def postgres_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    conn = await asyncpg.connect(url)
    try:
        tables = [
            r[0]
            for r in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        ]
        return {t: [dict(r) for r in await conn.fetch(f'SELECT * FROM "{t}"')] for t in tables}
    finally:
        await conn.close()


def normalised(rows: list[dict[str, Any]]) -> list[tuple[tuple[str, Any], ...]]:
    """Rows as sorted (column, value) tuples, bytes as bytes, in one order for both sides."""
    out = [
        tuple(sorted((k, bytes(v) if isinstance(v, memoryview) else v) for k, v in r.items()))
        for r in rows
    ]
    return sorted(out, key=repr)


def with_password(url: str) -> str:
    return url.replace("postgresql://postgres@", f"postgresql://postgres:{PASSWORD}@")


async def test_a_center_made_by_this_release_moves_to_postgres_whole(
    sandbox: BotApiSandbox,
    gateway: GatewaySandbox,
    db_path: Path,
    clock: FakeClock,
    empty_postgres_url: str,
    tmp_path: Path,
) -> None:
    await make_center(sandbox, gateway, db_path, clock)
    source = sqlite_rows(db_path)
    assert [t for t in FILLED if not source[t]] == []

    url = with_password(empty_postgres_url)
    code, out, err = await run(
        ["migrate-store", "--from", str(db_path), "--to", url], tmp_path, clean_env()
    )
    assert (code, err) == (0, "")
    assert PASSWORD not in out and "postgres:***@" in out
    assert f"{'users':<24} {len(source['users']):>10} {len(source['users']):>12}" in out

    # Every table, every row, column by column (the ledgers are each side's own history).
    target = await postgres_rows(empty_postgres_url)
    assert sorted(target) == sorted(source)
    for table in source:
        if table != "schema_migrations":
            assert normalised(target[table]) == normalised(source[table]), table

    # Identities continue after the largest id copied.
    conn = await asyncpg.connect(empty_postgres_url)
    try:
        largest = max(r["id"] for r in source["audit_log"])
        new_id = await conn.fetchval(
            "INSERT INTO audit_log (at, action) VALUES ('2026-01-01T00:00:00', 'test') RETURNING id"
        )
        assert new_id == largest + 1
        for table in (
            "sends",
            "broadcasts",
            "help_requests",
            "reminders",
            "rate_events",
            "inbox",
            "due_work",
        ):
            next_id = await conn.fetchval(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
            )
            assert next_id == max(r["id"] for r in source[table]) + 1, table
    finally:
        await conn.close()

    # A second run refuses: the target holds data. Nothing is written.
    before = await postgres_rows(empty_postgres_url)
    code, out, err = await run(
        ["migrate-store", "--from", str(db_path), "--to", url], tmp_path, clean_env()
    )
    assert code == 2 and out == ""
    assert "already holds data" in err and PASSWORD not in err
    assert await postgres_rows(empty_postgres_url) == before

    # The bot opens the PostgreSQL store and reads Minji's link back through its repository.
    db = await Database.open(empty_postgres_url, clock=clock)
    try:
        got = await LinkRepository(db).get(MINJI)
    finally:
        await db.close()
    (link_row,) = [r for r in source["links"] if r["telegram_id"] == MINJI]
    assert got is not None and (got.link_id, got.vms_id) == (
        link_row["link_id"],
        link_row["vms_id"],
    )


async def blank_source(db_path: Path, clock: FakeClock) -> None:
    await (await Database.open(db_path, clock=clock)).close()


async def test_a_target_at_another_schema_version_is_refused_untouched(
    db_path: Path, clock: FakeClock, empty_postgres_url: str
) -> None:
    await blank_source(db_path, clock)
    conn = await asyncpg.connect(empty_postgres_url)
    try:
        await conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        await conn.execute(
            "INSERT INTO schema_migrations VALUES ($1, 'from a newer bot', 'x')", LATEST_VERSION + 1
        )
    finally:
        await conn.close()
    with pytest.raises(TransferRefused, match=f"version {LATEST_VERSION + 1}"):
        await transfer(db_path, empty_postgres_url, clock=clock)
    assert list(await postgres_rows(empty_postgres_url)) == ["schema_migrations"]


async def test_a_failing_row_rolls_the_whole_copy_back(
    db_path: Path, clock: FakeClock, empty_postgres_url: str
) -> None:
    """SQLite keeps text in an INTEGER column; PostgreSQL will not. Nothing stays copied."""
    await blank_source(db_path, clock)
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO users (telegram_id, language, first_seen, last_seen)"
            " VALUES (1, 'ko', '2026-01-01T00:00:00', '2026-01-01T00:00:00')"
        )
        conn.execute(
            "INSERT INTO status_records (telegram_id, position, ref, record_id, activity_date,"
            " host, activity, minutes, kind, status) VALUES (1, 0, 'r', 'x', '2026-01-01', 'h',"
            " 'a', 'many', 'k', 'unsent')"
        )
    with pytest.raises(TransferFailed, match="status_records"):
        await transfer(db_path, empty_postgres_url, clock=clock)
    rows = await postgres_rows(empty_postgres_url)
    assert rows["users"] == [] and rows["status_records"] == []


async def test_dangling_references_in_the_source_are_refused(
    db_path: Path, clock: FakeClock, empty_postgres_url: str
) -> None:
    await blank_source(db_path, clock)
    with sqlite3.connect(db_path) as conn:  # foreign keys are off on a plain connection
        conn.execute(
            "INSERT INTO links (telegram_id, link_id, vms_id, linked_at)"
            " VALUES (5, 'l', 'v', '2026-01-01T00:00:00')"
        )
    with pytest.raises(TransferRefused, match="links"):
        await transfer(db_path, empty_postgres_url, clock=clock)
    assert (await postgres_rows(empty_postgres_url))["links"] == []


async def test_every_table_comes_after_the_tables_it_refers_to(empty_postgres_url: str) -> None:
    await (await Database.open(empty_postgres_url, clock=FakeClock())).close()
    conn = await asyncpg.connect(empty_postgres_url)
    try:
        order = await dependency_order(conn)
        edges = await conn.fetch(
            "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent"
            " FROM pg_constraint WHERE contype = 'f'"
        )
    finally:
        await conn.close()
    assert order.index("users") < order.index("links")
    assert all(order.index(e["parent"]) <= order.index(e["child"]) for e in edges)


async def test_the_command_refuses_a_url_that_is_not_postgres(tmp_path: Path) -> None:
    code, out, err = await run(
        ["migrate-store", "--from", "data/bot.sqlite3", "--to", "data/other.sqlite3"],
        tmp_path,
        clean_env(),
    )
    assert code == 2 and out == "" and "postgresql://" in err
    assert not (tmp_path / "data").exists()  # no SQLite file made on the way


async def test_the_command_refuses_an_unreachable_database_without_showing_the_password(
    db_path: Path, clock: FakeClock, empty_postgres_url: str, tmp_path: Path
) -> None:
    await blank_source(db_path, clock)
    missing = with_password(empty_postgres_url).replace("/test_", "/missing_")
    code, out, err = await run(
        ["migrate-store", "--from", str(db_path), "--to", missing], tmp_path, clean_env()
    )
    assert code == 2 and out == ""
    assert "cannot connect" in err and "postgres:***@" in err and PASSWORD not in err
    assert len(err.strip().splitlines()) == 1


async def test_the_command_needs_both_from_and_to(tmp_path: Path) -> None:
    code, _, err = await run(["migrate-store", "--from", "x.sqlite3"], tmp_path, clean_env())
    assert code == 2 and "migrate-store --from" in err
