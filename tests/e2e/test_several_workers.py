"""Two webhook workers on one PostgreSQL database behind a round-robin proxy (issue 16,
part 7): real `run_bot.py real` subprocesses, the sandbox Bot API POSTing every update to the
proxy, the sandbox gateway behind them, all over HTTP on 127.0.0.1.

- a burst of 1,000 updates from 100 users, with a kill -9 of one worker halfway (not
  restarted: the other takes its updates over once their lease runs out);
- the same update_id delivered twice by the stand-in;
- one send claim pressed on both workers.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from bot.services.sending import SEND_RESULT
from sandbox.botapi import BotApiSandbox
from tests.e2e.workers import WAIT, Deployment, deployment, reply_with, until
from tests.engines import postgres_database
from tests.postgres_server import PostgresServer

USERS = 100
FIRST_USER = 3000
RECORD = {"activity_date": "2026-03-02", "host": "행복복지관", "activity": "배식", "minutes": 120}
SENT, SUPERSEDED = "1365로 보냈어요", "1365로 보낼까요?"
ALREADY_SENT = "이 전송은 이미 보냈어요"
# What a step run again (its worker died after its effects, before recording it) may say
# instead of its first answer: the code after the link was made and its flow closed.
AGAIN = {"연결했어요": "이미 연결되어 있어요"}
# What each of a user's updates is answered with, in order (the press edits the /send prompt).
STEPS = (
    ("/start", "안녕하세요"),
    ("/link", "아이디를 보내 주세요"),
    ("<id>", "6자리 인증번호가 가요"),
    ("<code>", "연결했어요"),
    ("/status", "1365 연계 현황"),
    ("/send", SENT),  # the prompt, edited by the press
    ("<press>", None),
    ("/help", "이렇게 쓰시면 돼요"),
    ("/status", "1365 연계 현황"),
    ("/cancel", "진행 중인 일이 없어요"),
)
# The reply held at the sandbox until one worker is killed: user 50's first /status.
HELD_USER, HELD_NEEDLE = FIRST_USER + 50, "1365 연계 현황"


@pytest.fixture
async def database_url(postgres_server: PostgresServer) -> object:
    async with postgres_database(postgres_server, migrated=True) as url:
        yield url


def vms_id(user_id: int) -> str:
    return f"burst{user_id - FIRST_USER:03d}"


def add_member(deployed: Deployment, user_id: int) -> None:
    member = vms_id(user_id)
    deployed.gateway.put_member(
        member,
        id_1365=f"v1365_{user_id}",
        consent_vms=date(2025, 3, 2),
        consent_1365=date(2025, 3, 1),
    )
    deployed.gateway.add_records(member, [RECORD])


@dataclass
class Volunteer:
    """One user of the burst: sends the ten STEPS, waiting only where a step needs what the
    bot or the gateway gave (the code, the prompt's button)."""

    sandbox: BotApiSandbox
    deployed: Deployment
    user_id: int
    update_ids: list[int] = field(default_factory=list)

    async def send(self, text: str) -> None:
        sent = await self.sandbox.user_send(self.user_id, text, first_name=f"봉사{self.user_id}")
        self.update_ids.append(sent.update_id)

    async def run(self) -> None:
        gateway = self.deployed.gateway
        for text, _ in STEPS:
            if text == "<id>":
                await self.send(vms_id(self.user_id))
            elif text == "<code>":
                await until(lambda: _has_code(gateway, vms_id(self.user_id)))
                code = gateway.last_code(vms_id(self.user_id))
                assert code is not None
                await self.send(code)
            elif text == "<press>":
                prompt = await self._prompt()
                sent = await self.sandbox.press(self.user_id, self.user_id, prompt, "보내기")
                self.update_ids.append(sent.update_id)
                # Telegram queues a user's presses apart from their messages (by sender and by
                # chat: sandbox/botapi/webhook.py), so a command typed the instant after a
                # press may overtake it, close the flow and leave the press stale. A person
                # sees "보내고 있어요…" first; the script waits as they do.
                pressed = sent.update_id
                await until(lambda: self._done(pressed))  # noqa: B023 - awaited here
            else:
                await self.send(text)

    async def _done(self, update_id: int) -> bool:
        rows = await self.deployed.query(
            "SELECT 1 FROM inbox WHERE update_id = $1 AND state = 'done'", update_id
        )
        return bool(rows)

    async def _prompt(self) -> int:
        """The /send prompt's message id, once the bot has shown it and the /send update is
        done: when a worker died after showing one prompt, the update's second run shows
        another and the first one's buttons are stale; a volunteer presses the last."""
        found: list[int] = []
        asked = self.update_ids[-1]
        await until(lambda: self._done(asked))

        async def shown() -> bool:
            found[:] = [
                m.message_id
                for m in self.sandbox.bot_messages(self.user_id)
                if "보내기" in m.buttons
            ]
            return bool(found)

        await until(shown)
        return found[-1]


async def _has_code(gateway: object, member: str) -> bool:
    return gateway.last_code(member) is not None  # type: ignore[attr-defined]


def check_replies(
    sandbox: BotApiSandbox, user_id: int, update_ids: list[int], attempts: dict[int, int]
) -> int:
    """Asserts this user's replies answer every step, in order, a step's reply repeated only
    when its update was run again after a worker died (attempts > 1); returns the repeats."""
    expected = [
        (needle, update_id) for (_, needle), update_id in zip(STEPS, update_ids, strict=True)
    ]
    expected = [(n, u) for n, u in expected if n is not None]
    texts = [m.text for m in sandbox.bot_messages(user_id)]
    tries = [attempts.get(u) for u in update_ids]
    starts = f"tries {tries}: " + " | ".join(t[:30].replace("\n", " ") for t in texts)
    at = 0
    repeats = 0
    # A press run again after its first run sent says the prompt's send was made already.
    pressed_again = attempts[update_ids[STEPS.index(("<press>", None))]] > 1
    for text in texts:
        said = at < len(expected) and expected[at][0] in text
        if at < len(expected) and expected[at][0] == SENT and pressed_again:
            said = said or ALREADY_SENT in text
        if said:
            at += 1
            continue
        if SUPERSEDED in text and attempts[update_ids[STEPS.index(("/send", SENT))]] > 1:
            repeats += 1  # the prompt of the /send run a dead worker did not finish
            continue
        previous = expected[at - 1] if at else None
        assert previous is not None, f"{user_id}: {starts}"
        again = AGAIN.get(previous[0])
        assert previous[0] in text or (again and again in text), f"{user_id}: {starts}"
        assert attempts[previous[1]] > 1, f"{user_id}: repeated without a takeover: {starts}"
        repeats += 1
    assert at == len(expected), f"{user_id}: {starts}"
    return repeats


def stuck(sandbox: BotApiSandbox, users: list[Volunteer]) -> dict[int, list[str]]:
    """Users who could not finish their steps, with the start of each reply they got."""
    return {
        v.user_id: [m.text[:30] for m in sandbox.bot_messages(v.user_id)]
        for v in users
        if len(v.update_ids) < len(STEPS)
    }


def gateway_counts(tmp_path: Path) -> tuple[Counter[str], Counter[str]]:
    """Per member: transmissions the gateway accepted, link codes it delivered."""
    with sqlite3.connect(f"file:{tmp_path / 'gateway.sqlite3'}?mode=ro", uri=True) as conn:
        # Only our members: the gateway's demo members come with transmissions of their own.
        sent = conn.execute("SELECT vms_id FROM transmissions WHERE vms_id LIKE 'burst%'")
        codes = conn.execute("SELECT vms_id FROM deliveries WHERE vms_id LIKE 'burst%'")
        sent, codes = sent.fetchall(), codes.fetchall()
    return Counter(v for (v,) in sent), Counter(v for (v,) in codes)


async def test_a_burst_of_1000_updates_survives_a_kill_9_of_one_worker(
    tmp_path: Path, database_url: str
) -> None:
    async with deployment(tmp_path, database_url) as deployed:
        sandbox = deployed.sandbox
        users = [Volunteer(sandbox, deployed, FIRST_USER + n) for n in range(USERS)]
        for volunteer in users:
            add_member(deployed, volunteer.user_id)
        hold = sandbox.hold("sendMessage", HELD_USER, HELD_NEEDLE, delivered=True)
        burst = asyncio.gather(*(v.run() for v in users))
        # The held worker has sent user 50's /status answer and not yet recorded the update.
        await asyncio.wait_for(hold.reached.wait(), WAIT)
        victim = deployed.worker_for(hold.caller)
        await deployed.kill(victim)
        hold.release()
        try:
            await asyncio.wait_for(burst, WAIT)
        except TimeoutError:
            raise AssertionError(f"users stuck mid-script: {stuck(sandbox, users)}") from None

        async def all_done() -> bool:
            rows = await deployed.query("SELECT state FROM inbox")
            return len(rows) == USERS * len(STEPS) and all(r["state"] == "done" for r in rows)

        await until(all_done)
        rows = await deployed.query("SELECT update_id, attempts, last_error FROM inbox")
        attempts = {r["update_id"]: r["attempts"] for r in rows}
        assert all(r["last_error"] is None for r in rows)
        taken_over = sorted(u for u, n in attempts.items() if n > 1)
        # The held update was taken over: its worker died between sending and recording.
        held = users[HELD_USER - FIRST_USER].update_ids[STEPS.index(("/status", HELD_NEEDLE))]
        assert held in taken_over
        repeats = sum(check_replies(sandbox, v.user_id, v.update_ids, attempts) for v in users)
        # Nothing twice: one transmission and one code per member, one send and one result
        # check per user, no open flow.
        transmissions, codes = gateway_counts(tmp_path)
        assert transmissions == Counter({vms_id(v.user_id): 1 for v in users})
        assert codes == Counter({vms_id(v.user_id): 1 for v in users})
        sends = await deployed.query("SELECT telegram_id, COUNT(*) AS n FROM sends GROUP BY 1")
        assert {r["telegram_id"]: r["n"] for r in sends} == {v.user_id: 1 for v in users}
        results = await deployed.query("SELECT key FROM due_work WHERE kind = $1", SEND_RESULT)
        assert len(results) == USERS
        assert await deployed.query("SELECT 1 FROM flows") == []
        second_answers = [
            r
            for r in sandbox.rejections
            if r.method == "answerCallbackQuery" and "query is too old" in r.description
        ]
        # An update run again may repeat an edit its first run made: Telegram refuses the
        # identical edit ("not modified") and the person sees nothing. Counted with the
        # repeats, and only in the chats of users whose updates were taken over.
        rerun_chats = {str(v.user_id) for v in users if any(u in taken_over for u in v.update_ids)}
        edits_again = [
            r
            for r in sandbox.rejections
            if r.method == "editMessageText"
            and "message is not modified" in r.description
            and str(r.params.get("chat_id")) in rerun_chats
        ]
        print(
            f"\nburst: {len(attempts)} updates, killed worker {victim.name} at user "
            f"{HELD_USER - FIRST_USER}'s /status; {len(taken_over)} update(s) taken over, "
            f"{repeats} reply(ies) repeated (sent, then the worker died before recording); "
            f"200s by worker: {dict(deployed.proxy.by_target)}; "
            f"{len(second_answers)} press(es) answered again, refused; "
            f"{len(edits_again)} identical edit(s) made again, refused"
        )
        # Refused: only a second answer to a press, or an identical edit, of an update run
        # again (one of each at most per update taken over).
        assert len(second_answers) <= len(taken_over)
        assert len(edits_again) <= len(taken_over)
        refused_otherwise = [
            r for r in sandbox.rejections if r not in second_answers and r not in edits_again
        ]
        assert refused_otherwise == []
    logs = deployed.logs()
    assert "Traceback" not in logs, logs[-4000:]


async def test_redelivery_and_a_send_claim_across_two_workers(
    tmp_path: Path, database_url: str
) -> None:
    """The stand-in sends one update twice (the proxy lost the first 200): stored and run
    once. One volunteer presses "보내기" twice, the presses going to both workers: one
    transmission, one send claim."""
    async with deployment(tmp_path, database_url) as deployed:
        sandbox, gateway, proxy = deployed.sandbox, deployed.gateway, deployed.proxy
        user = FIRST_USER + 500
        add_member(deployed, user)

        # Redelivery: the proxy answers 502 after a worker's 200 for /help, once.
        started = await sandbox.user_send(user, "/help", first_name="민지")
        proxy.lose_once(started.update_id + 1)
        helped = await sandbox.user_send(user, "/help", first_name="민지")
        assert helped.update_id == started.update_id + 1
        await sandbox.webhook_delivery.wait_until(lambda d: d.pending_count == 0, WAIT)
        assert proxy.lost == [helped.update_id]
        assert proxy.acknowledged[helped.update_id] == 2
        assert sandbox.webhook_delivery.attempts.count(helped.update_id) == 2

        async def both_done() -> bool:
            rows = await deployed.query("SELECT state FROM inbox")
            return len(rows) == 2 and all(r["state"] == "done" for r in rows)

        await until(both_done)
        helps = [m for m in sandbox.bot_messages(user) if "이렇게 쓰시면 돼요" in m.text]
        assert len(helps) == 2  # one per update: the redelivered one was not run again

        # Link, then two presses of the one prompt, sent back to back (round robin: one
        # POST to each worker).
        await sandbox.user_send(user, "/link", first_name="민지")
        await reply_with(sandbox, user, "아이디를 보내 주세요")
        await sandbox.user_send(user, vms_id(user), first_name="민지")
        await reply_with(sandbox, user, "6자리 인증번호가 가요")
        code = await gateway.delivered_code(vms_id(user))
        assert code is not None
        await sandbox.user_send(user, code, first_name="민지")
        await reply_with(sandbox, user, "연결했어요")
        await sandbox.user_send(user, "/send", first_name="민지")
        await until(lambda: _has_button(sandbox, user, "보내기"))
        prompt = next(m for m in sandbox.bot_messages(user) if "보내기" in m.buttons)
        first = await sandbox.press(user, user, prompt.message_id, "보내기")
        second = await sandbox.press(user, user, prompt.message_id, "보내기")
        await sandbox.webhook_delivery.wait_until(lambda d: d.pending_count == 0, WAIT)
        targets = {proxy.acknowledged[u.update_id] for u in (first, second)}
        assert targets == {1}

        async def presses_done() -> bool:
            rows = await deployed.query(
                "SELECT state FROM inbox WHERE update_id = ANY($1::bigint[])",
                [first.update_id, second.update_id],
            )
            return len(rows) == 2 and all(r["state"] == "done" for r in rows)

        await until(presses_done)

        async def accepted() -> bool:
            rows = await deployed.query(
                "SELECT 1 FROM sends WHERE telegram_id = $1 AND transmission_id IS NOT NULL", user
            )
            return bool(rows)

        await until(accepted)
        transmissions, _ = gateway_counts(tmp_path)
        assert transmissions == Counter({vms_id(user): 1})
        sends = await deployed.query("SELECT id FROM sends WHERE telegram_id = $1", user)
        assert len(sends) == 1

        assert sandbox.rejections == []
    logs = deployed.logs()
    assert "Traceback" not in logs, logs[-4000:]


async def _has_button(sandbox: BotApiSandbox, user_id: int, label: str) -> bool:
    return any(label in m.buttons for m in sandbox.bot_messages(user_id))
