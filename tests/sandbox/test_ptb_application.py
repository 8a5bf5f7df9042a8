"""A real PTB Application polling the sandbox: /start, a keyboard, a press, an edit."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from sandbox.botapi import BotApiSandbox, TranscriptEvent

from .conftest import TOKEN, USER


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets and offers the first step."""
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("다음 ▶", callback_data="guide:2")]])
    await update.effective_message.reply_text(
        "<b>1단계</b>: 1365에 로그인하세요", parse_mode=ParseMode.HTML, reply_markup=keyboard
    )


async def next_step(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers the press and edits the guide in place."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"<b>2단계</b> ({query.data})", parse_mode=ParseMode.HTML)


async def next_edit(events: asyncio.Queue[TranscriptEvent]) -> TranscriptEvent:
    while (event := await events.get()).kind != "edit":
        pass
    return event


async def test_application_polls_replies_and_edits(sandbox: BotApiSandbox) -> None:
    app = ApplicationBuilder().token(TOKEN).base_url(f"{sandbox.base_url}/bot").build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(next_step, pattern=r"^guide:"))
    events = sandbox.subscribe()
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        await sandbox.user_send(USER, "/start", first_name="민수")
        greeting = await sandbox.wait_bot_message(USER, timeout=3)
        assert greeting.buttons == ["다음 ▶"]
        pressed = await sandbox.press(USER, USER, greeting.message_id, "다음 ▶")
        edit = await asyncio.wait_for(next_edit(events), 3)
        await app.updater.stop()
        await app.stop()
    assert edit.entry.text == "2단계 (guide:2)"
    assert pressed.query_id and sandbox.callback_answer(pressed.query_id) is not None
    (message,) = sandbox.bot_messages(USER)
    assert message.edited and message.buttons == [] and message.html == "<b>2단계</b> (guide:2)"
    assert [e.text for e in sandbox.transcript(USER)] == ["/start", "2단계 (guide:2)"]
    assert sandbox.rejections == []
