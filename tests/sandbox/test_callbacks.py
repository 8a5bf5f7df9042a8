"""Inline buttons: callback_data limits, presses, and answering callback queries."""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
from telegram.error import BadRequest

from sandbox.botapi import BotApiSandbox

from .conftest import FakeClock, call, last_description, query_of

TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


def one_button(**kind: object) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("버튼", **kind)]])  # type: ignore[arg-type]


@pytest.mark.parametrize("data", ["x" * 64, "가" * 21])
async def test_callback_data_up_to_64_bytes_is_accepted(bot: Bot, started: int, data: str) -> None:
    sent = await bot.send_message(started, "ok", reply_markup=one_button(callback_data=data))
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == data


@pytest.mark.parametrize("data", ["x" * 65, "가" * 22, ""])
async def test_callback_data_over_64_bytes_is_rejected(
    sandbox: BotApiSandbox, bot: Bot, started: int, data: str
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(started, "no", reply_markup=one_button(callback_data=data))
    assert last_description(sandbox) == "Bad Request: BUTTON_DATA_INVALID"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/", "https://", "no url"])
async def test_button_urls_must_be_http_or_tg(
    sandbox: BotApiSandbox, bot: Bot, started: int, url: str
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(started, "no", reply_markup=one_button(url=url))
    assert last_description(sandbox) == "Bad Request: BUTTON_URL_INVALID"


async def test_good_urls_and_malformed_buttons(
    sandbox: BotApiSandbox, http: httpx.AsyncClient, started: int
) -> None:
    for url in ("https://www.1365.go.kr/", "tg://resolve?domain=yeongye_helper_bot"):
        markup = {"inline_keyboard": [[{"text": "go", "url": url}]]}
        status, _ = await call(http, "sendMessage", chat_id=started, text="u", reply_markup=markup)
        assert status == 200
    bad_markups = {
        "Bad Request: can't parse inline keyboard button: "
        "Text buttons are unallowed in the inline keyboard": [[{"text": "bare"}]],
        "Bad Request: can't parse inline keyboard button: "
        "exactly one of the optional fields must be used": [
            [{"text": "two", "url": "https://a.b/", "callback_data": "x"}]
        ],
        "Bad Request: BUTTON_TEXT_INVALID": [[{"text": "", "callback_data": "x"}]],
        "Bad Request: REPLY_MARKUP_TOO_LONG": [
            [{"text": str(i), "callback_data": str(i)} for i in range(9)]
        ],
    }
    for description, rows in bad_markups.items():
        status, body = await call(
            http, "sendMessage", chat_id=started, text="k", reply_markup={"inline_keyboard": rows}
        )
        assert (status, body["description"]) == (400, description)


async def test_press_finds_the_button_and_the_answer_is_recorded(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("전송", callback_data="send:1")],
            [InlineKeyboardButton("1365 열기", url="https://www.1365.go.kr/")],
        ]
    )
    sent = await bot.send_message(started, "<b>확인</b>", parse_mode="HTML", reply_markup=markup)
    await bot.get_updates(offset=-1)
    pressed = await sandbox.press(started, started, sent.message_id, "전송")
    (update,) = await bot.get_updates(offset=pressed.update_id)
    query, message = query_of(update)
    assert (query.id, query.data, query.from_user.id) == (pressed.query_id, "send:1", started)
    assert message.text == "확인" and message.entities[0].type == "bold"
    assert message.reply_markup == markup
    assert query.chat_instance
    assert sandbox.callback_answer(query.id) is None
    assert await query.answer("전송을 시작했어요", show_alert=True)
    assert sandbox.callback_answer(query.id) == {
        "text": "전송을 시작했어요",
        "show_alert": True,
        "url": None,
        "cache_time": 0,
    }
    with pytest.raises(BadRequest):
        await query.answer("again")
    assert last_description(sandbox) == TOO_OLD
    with pytest.raises(LookupError):
        await sandbox.press(started, started, sent.message_id, "없는 버튼")
    with pytest.raises(ValueError):
        await sandbox.press(started, started, sent.message_id, "1365 열기")


async def test_queries_expire_after_15_minutes(
    sandbox: BotApiSandbox, bot: Bot, started: int, clock: FakeClock
) -> None:
    sent = await bot.send_message(started, "x")
    fresh = await sandbox.user_click(started, started, sent.message_id, "forged")
    stale = await sandbox.user_click(started, started, sent.message_id, "forged")
    clock.advance(14 * 60)
    assert fresh.query_id and stale.query_id
    assert await bot.answer_callback_query(fresh.query_id)
    clock.advance(2 * 60)
    with pytest.raises(BadRequest):
        await bot.answer_callback_query(stale.query_id)
    with pytest.raises(BadRequest):
        await bot.answer_callback_query("12345")
    assert [r.description for r in sandbox.rejections] == [TOO_OLD, TOO_OLD]


async def test_answer_text_is_at_most_200_characters(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    sent = await bot.send_message(started, "x")
    click = await sandbox.user_click(started, started, sent.message_id, "d")
    assert click.query_id
    with pytest.raises(BadRequest):
        await bot.answer_callback_query(click.query_id, text="가" * 201)
    assert await bot.answer_callback_query(click.query_id, text="가" * 200)


async def test_clicking_a_missing_message_is_a_lookup_error(
    sandbox: BotApiSandbox, started: int
) -> None:
    with pytest.raises(LookupError):
        await sandbox.user_click(started, started, 999, "x")


async def test_web_app_buttons_open_https_pages_in_private_chats(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    page = WebAppInfo("https://desk.example.org/desk/#broadcast")
    sent = await bot.send_message(started, "ok", reply_markup=one_button(web_app=page))
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].web_app == page


@pytest.mark.parametrize("url", ["http://desk.example.org/", "http://127.0.0.1:8080/", "desk"])
async def test_web_app_buttons_need_https(
    sandbox: BotApiSandbox, bot: Bot, started: int, url: str
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(started, "no", reply_markup=one_button(web_app=WebAppInfo(url)))
    assert last_description(sandbox) == "Bad Request: BUTTON_URL_INVALID"


async def test_web_app_buttons_only_in_private_chats(sandbox: BotApiSandbox, bot: Bot) -> None:
    await sandbox.user_send(7, "hi", chat_id=-5, chat_type="group")
    page = WebAppInfo("https://desk.example.org/desk/")
    with pytest.raises(BadRequest):
        await bot.send_message(-5, "no", reply_markup=one_button(web_app=page))
    assert last_description(sandbox) == "Bad Request: BUTTON_TYPE_INVALID"
    sent = await bot.send_message(-5, "ok", reply_markup=one_button(callback_data="x"))
    with pytest.raises(BadRequest):
        await bot.edit_message_reply_markup(
            -5, sent.message_id, reply_markup=one_button(web_app=page)
        )
    assert last_description(sandbox) == "Bad Request: BUTTON_TYPE_INVALID"
