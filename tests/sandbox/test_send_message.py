"""sendMessage: HTML entities, their offsets, every rejection, length limits."""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest

from sandbox.botapi import BotApiSandbox

from .conftest import TOKEN, call, last_description

ENTITY_ERROR = "Bad Request: can't parse entities: "


async def test_html_becomes_plain_text_with_utf16_entities(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    html = '<b>연계</b> 😀 <i>봉사 시간</i> <a href="https://www.1365.go.kr/">1365</a>'
    message = await bot.send_message(started, html, parse_mode="HTML")
    assert message.text == "연계 😀 봉사 시간 1365"
    spans = [(e.type, e.offset, e.length) for e in message.entities]
    assert spans == [("bold", 0, 2), ("italic", 6, 5), ("text_link", 12, 4)]
    assert message.entities[2].url == "https://www.1365.go.kr/"
    assert list(message.parse_entities().values()) == ["연계", "봉사 시간", "1365"]
    assert message.from_user is not None
    assert message.from_user.is_bot and message.from_user.id == 123456
    (entry,) = sandbox.bot_messages(started)
    assert (entry.html, entry.parse_mode, entry.text) == (html, "HTML", message.text)


async def test_html_entities_nesting_and_special_tags(bot: Bot, started: int) -> None:
    html = (
        "&lt;b&gt; &amp; &quot;q&quot; &#8361;&#x1F600; "
        '<b><i>x</i>y</b><pre><code class="language-python">z</code></pre>'
        '<tg-spoiler>s</tg-spoiler><span class="tg-spoiler">t</span>'
        "<blockquote expandable>q</blockquote><code><b>c</b></code>"
    )
    message = await bot.send_message(started, html, parse_mode="html")
    assert message.text == '<b> & "q" ₩😀 xyzstqc'
    spans = [(e.type, e.offset, e.length) for e in message.entities]
    assert spans == [
        ("bold", 14, 2),
        ("italic", 14, 1),
        ("pre", 16, 1),
        ("spoiler", 17, 2),  # adjacent spoilers merge into one entity
        ("expandable_blockquote", 19, 1),
        ("code", 20, 1),  # the <b> inside <code> is dropped
    ]
    assert message.entities[2].language == "python"


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("a <foo>b</foo>", 'Unsupported start tag "foo" at byte offset 2'),
        ("한 <div>x</div>", 'Unsupported start tag "div" at byte offset 4'),
        ("줄<br>바꿈", 'Unsupported start tag "br" at byte offset 3'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("</b>", "Unexpected end tag at byte offset 0"),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ('<a href="https://x.org>x</a>', "Unclosed start tag at byte offset 0"),
        ("&nbsp;", "Unsupported HTML entity at byte offset 0"),
        ("Tom & Jerry", 'Character "&" must be escaped as "&amp;" at byte offset 4'),
        ("a > b", 'Character ">" must be escaped as "&gt;" at byte offset 2'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a>x</a>", 'Tag "a" must have attribute "href" at byte offset 0'),
        ("<b class>x</b>", 'Expected equal sign in declaration of an attribute of the tag "b"'),
    ],
)
async def test_bad_html_is_rejected_like_telegram(
    sandbox: BotApiSandbox, bot: Bot, started: int, html: str, detail: str
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(started, html, parse_mode="HTML")
    suffix = " at byte offset 0" if detail.startswith("Expected equal") else ""
    assert last_description(sandbox) == ENTITY_ERROR + detail + suffix
    assert sandbox.bot_messages(started) == []


async def test_plain_text_is_not_parsed(bot: Bot, started: int) -> None:
    message = await bot.send_message(started, "<b>1 < 2 & 3</b>")
    assert message.text == "<b>1 < 2 & 3</b>" and message.entities == ()


@pytest.mark.parametrize(
    ("text", "parse_mode"),
    [
        ("가" * 4096, None),
        ("😀" * 2048, None),
        ("<b>" + "a" * 4096 + "</b>", "HTML"),
        ("&amp;" * 4096, "HTML"),
    ],
)
async def test_texts_up_to_4096_utf16_units_are_accepted(
    bot: Bot, started: int, text: str, parse_mode: str | None
) -> None:
    assert await bot.send_message(started, text, parse_mode=parse_mode)


@pytest.mark.parametrize(
    ("text", "parse_mode", "description"),
    [
        ("가" * 4097, None, "Bad Request: message is too long"),
        ("😀" * 2048 + "a", None, "Bad Request: message is too long"),
        ("", None, "Bad Request: message text is empty"),
        ("   \n", None, "Bad Request: message text is empty"),
        ("<b></b>", "HTML", "Bad Request: message text is empty"),
        ("x", "XML", "Bad Request: unsupported parse_mode"),
    ],
)
async def test_text_limits_and_parse_modes_are_enforced(
    sandbox: BotApiSandbox,
    bot: Bot,
    started: int,
    text: str,
    parse_mode: str | None,
    description: str,
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(started, text, parse_mode=parse_mode)
    assert last_description(sandbox) == description


async def test_markdown_is_refused_loudly(sandbox: BotApiSandbox, bot: Bot, started: int) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(started, "*x*", parse_mode="MarkdownV2")
    assert "not implemented in the sandbox" in last_description(sandbox)


async def test_missing_text_is_an_empty_message(
    sandbox: BotApiSandbox, http: httpx.AsyncClient, started: int
) -> None:
    status, body = await call(http, "sendMessage", chat_id=started)
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")


async def test_form_bodies_work_and_bad_markup_json_is_rejected(
    sandbox: BotApiSandbox, http: httpx.AsyncClient, started: int
) -> None:
    url = f"/bot{TOKEN}/sendMessage"
    ok = await http.post(url, data={"chat_id": str(started), "text": "폼"})
    assert ok.json()["result"]["text"] == "폼"
    bad = await http.post(url, data={"chat_id": str(started), "text": "x", "reply_markup": "{"})
    assert bad.status_code == 400
    assert bad.json()["description"] == "Bad Request: can't parse reply keyboard markup JSON object"


async def test_explicit_entities_are_kept(bot: Bot, started: int) -> None:
    from telegram import MessageEntity

    message = await bot.send_message(started, "굵게 text", entities=[MessageEntity("bold", 0, 2)])
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bold", 0, 2)]


async def test_reply_to_a_missing_message_is_rejected(
    sandbox: BotApiSandbox, bot: Bot, started: int
) -> None:
    with pytest.raises(BadRequest):
        await bot.send_message(started, "re", reply_to_message_id=999)
    assert last_description(sandbox) == "Bad Request: message to be replied not found"
    assert await bot.send_message(started, "re", reply_to_message_id=1)
