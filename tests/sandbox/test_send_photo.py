"""sendPhoto: a multipart upload as the Bot API documents it, recorded with its bytes."""

from __future__ import annotations

import json

import httpx
import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest

from sandbox.botapi import BotApiSandbox
from tests.sandbox.conftest import TOKEN
from tests.sandbox.helpers import png


async def test_ptb_uploads_a_png_and_the_sandbox_keeps_bytes_and_caption(
    bot: Bot, sandbox: BotApiSandbox, started: int
) -> None:
    data = png()
    message = await bot.send_photo(
        started,
        InputFile(data, filename="chart.png"),
        caption="<b>주간</b> 현황",
        parse_mode="HTML",
    )
    assert message.caption == "주간 현황"
    assert message.caption_entities[0].type == "bold"
    largest = message.photo[-1]
    assert (largest.width, largest.height, largest.file_size) == (300, 200, len(data))
    assert [p.width for p in message.photo] == [90, 300]  # a thumbnail first, as Telegram does
    (entry,) = sandbox.photos(started)
    assert entry.photo is not None and entry.photo.data == data
    assert entry.text == "주간 현황" and entry.photo.filename == "chart.png"
    # The file_id Telegram returned sends the same photo again, without an upload.
    again = await bot.send_photo(started, largest.file_id)
    assert again.photo[-1].file_unique_id == largest.file_unique_id
    assert len(sandbox.photos(started)) == 2


async def test_raw_multipart_and_attach_uri(
    http: httpx.AsyncClient, sandbox: BotApiSandbox, started: int
) -> None:
    response = await http.post(
        f"/bot{TOKEN}/sendPhoto",
        data={"chat_id": str(started), "photo": "attach://pic", "caption": "hi"},
        files={"pic": ("p.png", png(40, 30), "image/png")},
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["result"]["caption"] == "hi" and "text" not in body["result"]
    assert body["result"]["photo"][-1]["width"] == 40


@pytest.mark.parametrize(
    ("upload", "description"),
    [
        (b"not an image at all", "Bad Request: IMAGE_PROCESS_FAILED"),
        (png(2100, 100), "Bad Request: PHOTO_INVALID_DIMENSIONS"),
        (png(6000, 5000), "Bad Request: PHOTO_INVALID_DIMENSIONS"),
    ],
)
async def test_what_telegram_would_refuse_is_refused(
    http: httpx.AsyncClient, sandbox: BotApiSandbox, started: int, upload: bytes,
    description: str,
) -> None:  # fmt: skip
    response = await http.post(
        f"/bot{TOKEN}/sendPhoto",
        data={"chat_id": str(started)},
        files={"photo": ("x.png", upload, "image/png")},
    )
    assert response.status_code == 400
    assert response.json()["description"] == description
    assert sandbox.photos(started) == []
    assert "bytes>" in json.dumps(sandbox.rejections[-1].params)  # the log names no content


async def test_urls_unknown_ids_long_captions_and_text_edits_are_refused(
    bot: Bot, started: int
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)failed to get http url content"):
        await bot.send_photo(started, "https://example.com/a.png")
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(started, "AgACAgIAAxkunknown")
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(started, InputFile(png(), filename="a.png"), caption="가" * 1025)
    sent = await bot.send_photo(started, InputFile(png(), filename="a.png"), caption="x")
    with pytest.raises(BadRequest, match=r"(?i)no text in the message to edit"):
        await bot.edit_message_text("y", chat_id=started, message_id=sent.message_id)
