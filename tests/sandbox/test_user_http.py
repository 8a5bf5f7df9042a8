"""The /sandbox/... side door that an out-of-process console drives."""

from __future__ import annotations

import asyncio

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from sandbox.botapi import BotApiSandbox

from .conftest import USER


async def test_a_console_journey_over_http(
    sandbox: BotApiSandbox, bot: Bot, http: httpx.AsyncClient
) -> None:
    sent = (await http.post("/sandbox/send", json={"user_id": USER, "text": "/start"})).json()
    assert sent["ok"] and sent["result"]["message_id"] == 1 and sent["result"]["update_id"]

    waiting = asyncio.create_task(http.get(f"/sandbox/wait/{USER}", params={"timeout": 2}))
    await asyncio.sleep(0.05)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("다음", callback_data="next")]])
    reply = await bot.send_message(USER, "<b>안내</b>", parse_mode="HTML", reply_markup=keyboard)
    waited = (await waiting).json()["result"]
    assert (waited["message_id"], waited["text"], waited["buttons"]) == (
        reply.message_id,
        "안내",
        ["다음"],
    )

    pressed = await http.post(
        "/sandbox/press",
        json={
            "user_id": USER,
            "chat_id": USER,
            "message_id": reply.message_id,
            "button_text": "다음",
        },
    )
    query_id = pressed.json()["result"]["query_id"]
    assert await bot.answer_callback_query(query_id, text="ok")
    answer = (await http.get(f"/sandbox/callback_answer/{query_id}")).json()["result"]
    assert answer["text"] == "ok"

    clicked = await http.post(
        "/sandbox/click",
        json={
            "user_id": USER,
            "chat_id": USER,
            "message_id": reply.message_id,
            "callback_data": "x",
        },
    )
    assert clicked.json()["result"]["query_id"]

    transcript = (await http.get(f"/sandbox/transcript/{USER}")).json()["result"]
    assert [(e["from_bot"], e["text"]) for e in transcript] == [(False, "/start"), (True, "안내")]
    assert transcript[1]["html"] == "<b>안내</b>"


async def test_block_and_rejections_over_http(
    sandbox: BotApiSandbox, bot: Bot, http: httpx.AsyncClient
) -> None:
    await http.post("/sandbox/send", json={"user_id": USER, "text": "hi"})
    assert (await http.post("/sandbox/block", json={"user_id": USER})).json()["ok"]
    status = await http.post(f"/bot{bot.token}/sendMessage", json={"chat_id": USER, "text": "x"})
    assert status.status_code == 403
    rejections = (await http.get("/sandbox/rejections")).json()["result"]
    assert rejections[-1]["description"] == "Forbidden: bot was blocked by the user"
    assert (await http.post("/sandbox/unblock", json={"user_id": USER})).json()["ok"]
    assert await bot.send_message(USER, "다시")


async def test_side_door_errors(http: httpx.AsyncClient) -> None:
    missing = await http.post("/sandbox/press", json={"user_id": 1, "chat_id": 1, "message_id": 1})
    assert missing.status_code == 400 and "button_text" in missing.json()["error"]
    unknown = await http.post(
        "/sandbox/press", json={"user_id": 1, "chat_id": 1, "message_id": 1, "button_text": "x"}
    )
    assert unknown.status_code == 404
    bad = await http.post("/sandbox/send", json={"user_id": 1, "text": "  "})
    assert bad.status_code == 400
    not_json = await http.post("/sandbox/send", content=b"nope")
    assert not_json.status_code == 400
    timeout = await http.get("/sandbox/wait/1", params={"timeout": 0.05})
    assert timeout.status_code == 408
