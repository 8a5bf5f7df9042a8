"""English texts of /broadcast and of the text checks. Keys must match ko_broadcast.py."""

TEXTS: dict[str, str] = {
    "bc.segment.all": "All active volunteers",
    "bc.segment.not_linked": "Volunteers who have not linked",
    "bc.segment.consent_incomplete": "Volunteers with consents incomplete",
    "bc.segment.unsent_or_failed": "Volunteers with unsent or failed records",
    "bc.segment.never_sent": "Linked volunteers who never sent",
    # Guide mode (no VMS connection): counted from what volunteers told the bot.
    "bc.segment.guide.consent_incomplete": "Volunteers who haven't said they finished consent",
    "bc.segment.guide.unsent_or_failed": "Volunteers who said they sent but haven't confirmed on 1365",
    "bc.segment.guide.never_sent": "Volunteers who never said they sent on VMS",
    "bc.segment_short.guide.consent_incomplete": "No consent reply",
    "bc.segment_short.guide.unsent_or_failed": "Not confirmed on 1365",
    "bc.segment_short.guide.never_sent": "No send reported",
    "bc.fresh": (
        "ⓘ Consent and send numbers are what the bot last learned from VMS for each volunteer. "
        "The oldest is as of {when}."
    ),
    "bc.fresh.unknown": "{count} never checked yet are counted as consent incomplete.",
    "bc.fresh.guide": (
        "ⓘ This bot isn't connected to VMS, so consent and send numbers are what volunteers "
        "told the bot themselves."
    ),
    "bc.segment_short.all": "Everyone",
    "bc.segment_short.not_linked": "Not linked",
    "bc.segment_short.consent_incomplete": "Consents incomplete",
    "bc.segment_short.unsent_or_failed": "Unsent or failed",
    "bc.segment_short.never_sent": "Never sent",
    "bc.language.any": "All languages",
    "bc.language.ko": "Korean users only",
    "bc.language.en": "English users only",
    "bc.line": "• {segment}: <b>{recipients}</b>{notes}",
    "bc.notes": " ({notes})",
    "bc.note.blocked": "{count} who blocked the bot left out",
    "bc.note.notices_off_included": "{count} with center notices off included",
    "bc.note.notices_off_left_out": "{count} with center notices off left out",
    "bc.note.separator": "; ",
    "bc.audience": (
        "<b>Send an announcement</b>\n"
        "Who should get it? The numbers are who would receive it now.\n\n"
        "{lines}\n\n"
        "Language: {language}\n"
        "Send as a reminder: {reminder} (a reminder skips volunteers who turned center notices off)"
    ),
    "bc.on": "on",
    "bc.off": "off",
    "bc.button.segment": "{segment} · {count}",
    "bc.button.language": "🌐 {language}",
    "bc.button.reminder_on": "🔔 Send as a reminder: on",
    "bc.button.reminder_off": "🔕 Send as a reminder: off",
    "bc.button.cancel": "Cancel",
    "bc.nobody": "Nobody in this audience would receive it now. Please pick another one.",
    "bc.ask_text": (
        "<b>{segment}</b> · {language} · {recipients} recipients\n\n"
        "Please write the message. You can write a separate text for English users next.\n\n"
        "{howto}"
    ),
    "compose.howto": (
        "Telegram HTML formatting works: &lt;b&gt;bold&lt;/b&gt;, &lt;i&gt;italic&lt;/i&gt;,"
        ' &lt;u&gt;underline&lt;/u&gt;, &lt;a href="https://…"&gt;link&lt;/a&gt;,'
        " &lt;code&gt;code&lt;/code&gt;, &lt;blockquote&gt;quote&lt;/blockquote&gt;.\n"
        "Write the characters &lt; &gt; &amp; as &amp;lt; &amp;gt; &amp;amp;."
    ),
    "compose.ask_text_en": (
        "To give English users their own text, send it now.\n"
        "Otherwise everyone receives the same text."
    ),
    "compose.split": (
        "The text you just sent looks like the rest of your notice: Telegram sends a text longer "
        "than one message as several messages. Together the two parts are {length} characters, "
        "{over} over the limit of {limit}, so they can't go as one notice. Please shorten it and "
        "send it again as one message.\n"
        "If it was the English text rather than the rest, choose below."
    ),
    "compose.button.split_rewrite": "✂️ Shorten and write again",
    "compose.button.split_en": "🇬🇧 It is the English text",
    "compose.button.same_text": "Same text for everyone",
    "compose.preview": "<b>Preview</b>: recipients will see exactly the message below.",
    "compose.preview_for": "▼ What {language} users receive",
    "compose.for.ko": "Korean",
    "compose.for.en": "English",
    "compose.for.all": "all",
    "compose.not_text": "Please write text; photos and stickers cannot be sent.",
    "bc.confirm": (
        "<b>{segment}</b> · {language}\n"
        "Would receive it now: <b>{recipients}</b>{notes}\n"
        "{texts}\n\n"
        "Send it?"
    ),
    "bc.confirm.one_text": "Everyone receives the same text.",
    "bc.confirm.two_texts": "English users receive the English text.",
    "bc.button.send": "Send · {count}",
    "compose.button.rewrite": "✏️ Rewrite",
    "bc.launched": (
        "Announcement #{id} is on its way to {recipients} people.\n"
        "You will see its progress in this chat."
    ),
    "bc.cancelled": "The announcement was not sent. Nobody received anything.",
    "bc.expired": "The announcement draft timed out. Start again with /broadcast.",
    "compose.problem": "This text cannot be sent. {why}{where}\nPlease fix it and send it again.",
    "compose.where": " (near character {position})",
    "compose.problem.empty": "There is nothing to send.",
    "compose.problem.too_long": (
        "The text is too long: {length} characters without formatting; a message holds {limit}."
    ),
    "compose.problem.amp": "Write the character &amp; as &amp;amp;.",
    "compose.problem.gt": "Write the character &gt; as &amp;gt;.",
    "compose.problem.lt": "Write the character &lt; as &amp;lt;.",
    "compose.problem.entity": (
        "There is an &amp;…; code Telegram does not know. Only &amp;lt; &amp;gt; &amp;amp;"
        " &amp;quot; and numeric codes (&amp;#123;) work."
    ),
    "compose.problem.tag": (
        "Telegram does not allow the tag &lt;{tag}&gt;. Allowed: b, i, u, s, a, code, pre,"
        " blockquote, tg-spoiler."
    ),
    "compose.problem.span": 'A span tag needs class="tg-spoiler".',
    "compose.problem.href": 'A link tag a needs href="https://…".',
    "compose.problem.emoji": "A tg-emoji tag needs a numeric emoji-id.",
    "compose.problem.unopened": "A tag is closed that was never opened.",
    "compose.problem.unclosed": "A tag is never closed: &lt;{tag}&gt;. Add &lt;/{tag}&gt; too.",
    "compose.problem.mismatch": (
        "Tags overlap. Close the inner tag first (the one to close now: &lt;/{tag}&gt;)."
    ),
    "compose.problem.syntax": "A tag is malformed. Check its quotes and its closing &gt;.",
    "compose.problem.telegram": "Telegram refused this text: {detail}",
}
