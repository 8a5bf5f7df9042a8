"""The terminal chat: type as a volunteer, see the bot's replies and press its buttons by number."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta, tzinfo
from pathlib import Path
from typing import TextIO

from bot.runtime import BotRuntime
from sandbox import console_due
from sandbox.botapi import BotApiSandbox, TranscriptEvent
from sandbox.botapi.html_entities import utf16_len
from sandbox.console_desk import desk_link
from sandbox.console_texts import TEXTS, when
from sandbox.gateway import GatewaySandbox

MESSAGE_LIMIT = 4096  # what Telegram takes in one message, in UTF-16 code units

OPERATOR_COMMANDS = {
    "members": ":members",
    "consent": ":consent kindly0904 1365|vms on|off",
    "volunteer": ":volunteer kindly0904 2",
    "clock": ":clock 25",
}
DEMO_GROUP_ID = -100_777
# Operator commands that change the gateway's data: the due work they make due runs at once.
CHANGES_DATA = ("consent", "volunteer", "clock")


class WarningTally(logging.Handler):
    """Counts WARNING and worse records: the demo's log goes to a file, and the chat says
    only that something was written there, on a line of its own between turns."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class Persona:
    """Who the console is typing as."""

    user_id: int
    first_name: str
    client_language: str = "ko"
    in_group: bool = False

    @property
    def chat_id(self) -> int:
        return DEMO_GROUP_ID if self.in_group else self.user_id

    def label(self, lang: str) -> str:
        where = f" @ {TEXTS[lang]['group_title']}" if self.in_group else ""
        return f"{self.first_name} #{self.user_id}{where}"


@dataclass
class Console:
    """Reads lines, drives the sandbox as a user, prints what the bot does."""

    sandbox: BotApiSandbox
    runtime: BotRuntime
    out: TextIO
    gateway: GatewaySandbox
    lang: str = "ko"
    staff_id: int = 9001
    persona: Persona = field(default_factory=lambda: Persona(1001, TEXTS["ko"]["first_user"]))
    log_path: Path | None = None
    log_tally: WarningTally | None = None
    # What happened before this console started (codes sent in an earlier run, say) was
    # shown then, or belongs to nobody here: only what comes after is printed.
    _seen_rejections: int = field(init=False, default=0)
    _seen_deliveries: int = field(init=False, default=0)
    _seen_warnings: int = field(init=False, default=0)
    _events: asyncio.Queue[TranscriptEvent] = field(init=False)

    def __post_init__(self) -> None:
        self._seen_rejections = len(self.sandbox.rejections)
        self._seen_deliveries = len(self.gateway.deliveries)
        self._seen_warnings = self.log_tally.count if self.log_tally else 0
        self._events = self.sandbox.subscribe()

    @property
    def tz(self) -> tzinfo:
        """The bot's time zone: the console shows times as the bot's users read them."""
        services = self.runtime.app.bot_data.services
        assert services is not None
        return services.settings.tz

    def say(self, key: str, **values: object) -> None:
        self.out.write(TEXTS[self.lang][key].format(**values) + "\n")
        self.out.flush()

    def prompt(self) -> None:
        self.out.write(TEXTS[self.lang]["prompt"].format(who=self.persona.label(self.lang)))
        self.out.flush()

    def render(self, kind: str, entry: object) -> None:
        """Prints one bot-side change: a new message, an edit or a deletion. New messages to
        other chats (a notice to the user whose link was taken over, a due-work result) are
        shown too, under the chat they went to, with their buttons unnumbered."""
        chat_id = getattr(entry, "chat_id", None)
        here = chat_id == self.persona.chat_id
        if kind == "delete":
            if here:
                self.say("deleted", message_id=getattr(entry, "message_id", "?"))
            return
        if not getattr(entry, "from_bot", False) or (not here and kind != "new"):
            return
        if here:
            edited = f" {TEXTS[self.lang]['edited']}" if kind == "edit" else ""
            lines = [f"\n🤖{edited} {_shown(entry, self.lang)}"]
        else:
            header = TEXTS[self.lang]["other_chat"].format(who=self._chat_label(chat_id))
            text = _shown(entry, self.lang).replace("\n", "\n   ")
            lines = [f"\n{header}", f"   {text}"]
        for number, (text, _data, url) in enumerate(_buttons(entry), start=1):
            mark = f"[{number}]" if here else "·"
            lines.append(f"   {mark} {text}" + (" ↗" if url else ""))
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()

    def _name(self, user_id: str) -> str:
        """The name a user already has in the sandbox (":user 1001" is 민지 again)."""
        known = self.sandbox.world.users.get(int(user_id))
        return known.first_name if known else TEXTS[self.lang]["user_n"].format(id=user_id)

    def _chat_label(self, chat_id: object) -> str:
        chat = self.sandbox.world.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is not None and chat.title:
            return chat.title
        user = self.sandbox.world.users.get(chat_id) if isinstance(chat_id, int) else None
        return f"{user.first_name} #{user.id}" if user is not None else f"#{chat_id}"

    def show_changes(self) -> None:
        """Prints every bot-side change so far. The sandbox publishes a change before it
        answers the bot's request, so once the bot is done with an update (or due work),
        everything it did is already here: no waiting for a printer task."""
        while not self._events.empty():
            event = self._events.get_nowait()
            self.render(event.kind, event.entry)

    async def follow(self) -> None:
        """Prints changes as they happen between turns (due work the bot's own tick ran)."""
        while True:
            event = await self._events.get()
            self.render(event.kind, event.entry)

    def report_answer(self, query_id: str | None) -> None:
        """The toast or alert the bot answered a button press with, as the app shows it."""
        answer = self.sandbox.callback_answer(query_id) if query_id else None
        if answer and answer.get("text"):
            self.say("alert" if answer.get("show_alert") else "toast", text=answer["text"])

    def report_warnings(self) -> None:
        if self.log_tally is None:
            return
        new = self.log_tally.count - self._seen_warnings
        if new > 0:
            self.say("log_warnings", count=new, path=self.log_path)
        self._seen_warnings = self.log_tally.count

    def report_rejections(self) -> None:
        for rejection in self.sandbox.rejections[self._seen_rejections :]:
            self.say("rejected", method=rejection.method, description=rejection.description)
        self._seen_rejections = len(self.sandbox.rejections)

    def report_deliveries(self) -> None:
        """Link codes the sandbox gateway "sent": there is no phone, so they appear here."""
        for delivery in self.gateway.deliveries[self._seen_deliveries :]:
            self.say(
                "code_emailed" if delivery.channel == "email" else "code_delivered",
                vms_id=delivery.vms_id,
                code=delivery.code,
                destination=delivery.destination_masked,
            )
        self._seen_deliveries = len(self.gateway.deliveries)

    async def handle(self, line: str) -> bool:
        """Acts on one input line; False means quit."""
        line = line.strip()
        if not line:
            return True
        if line.startswith(":"):
            return await self._meta(line)
        if line.isdigit() and len(line) <= 2:
            # One or two digits press a button; longer numbers (a link code) are sent as text.
            await self._press(int(line))
            return True
        await self._send(line)
        return True

    async def _send(self, line: str, reply_to: int | None = None) -> None:
        length = utf16_len(line)
        if length > MESSAGE_LIMIT:
            # Telegram's own app would not send it as one message either; said, not crashed.
            self.say("too_long", length=f"{length:,}", limit=f"{MESSAGE_LIMIT:,}")
            return
        sent = await self.sandbox.user_send(
            self.persona.user_id,
            line,
            chat_id=self.persona.chat_id,
            first_name=self.persona.first_name,
            language_code=self.persona.client_language,
            chat_type="supergroup" if self.persona.in_group else "private",
            chat_title=TEXTS[self.lang]["group_title"] if self.persona.in_group else None,
            reply_to_message_id=reply_to,
        )
        await self._wait(sent.update_id)

    async def _reply(self, text: str) -> None:
        """Replies to the bot's latest message here, as Telegram's "Reply" does: how staff
        answer a help request ("센터에 문의")."""
        messages = self.sandbox.bot_messages(self.persona.chat_id)
        if not text:
            self.say("bad_usage", usage=TEXTS[self.lang]["reply_usage"])
        elif not messages:
            self.say("nothing_to_reply")
        else:
            self.say("replying")
            await self._send(text, reply_to=messages[-1].message_id)

    async def _press(self, number: int) -> None:
        latest = next(
            (e for e in reversed(self.sandbox.bot_messages(self.persona.chat_id)) if _buttons(e)),
            None,
        )
        buttons = _buttons(latest) if latest is not None else []
        if not 1 <= number <= len(buttons):
            self.say("no_button", number=number)
            return
        _text, data, url = buttons[number - 1]
        if url:
            self.say("url_button", url=url)
            return
        assert latest is not None and data is not None
        sent = await self.sandbox.user_click(
            self.persona.user_id, self.persona.chat_id, latest.message_id, data
        )
        await self._wait(sent.update_id, sent.query_id)

    async def _wait(self, update_id: int, query_id: str | None = None) -> None:
        try:
            await self.runtime.processor.wait_processed(update_id, timeout=15)
        except TimeoutError:
            self.say("timeout")
        # The app shows the toast as the button is pressed, before any edit lands.
        self.report_answer(query_id)
        await self.settle()

    async def settle(self) -> None:
        """After a turn: what the bot did, what went wrong, codes sent, warnings logged; then
        the sandbox's chats are saved, so a restart finds what the bot remembers."""
        self.show_changes()
        self.report_rejections()
        await self.gateway.settle_deliveries()  # codes leave off the gateway's response path
        self.report_deliveries()
        self.report_warnings()
        self.sandbox.save_state()

    async def _meta(self, line: str) -> bool:
        command, *args = line[1:].split()
        if command in ("quit", "q", "exit"):
            return False
        steps: dict[str, Callable[[list[str]], Awaitable[None]]] = {
            "user": self._user,
            "staff": self._staff,
            "client": self._client,
            "group": self._group,
            "reply": lambda _: self._reply(line[1:].partition(" ")[2].strip()),
            "block": self._block,
            "unblock": self._unblock,
        }
        if command in steps:
            await steps[command](args)
        elif command in OPERATOR_COMMANDS:
            if self._operate(command, args) and command in CHANGES_DATA:
                await self.run_due_work()
        else:
            self.say("help")  # :help, and what is not a command
        return True

    async def _user(self, args: list[str]) -> None:
        if not args or not args[0].isdigit():
            self.say("bad_usage", usage=TEXTS[self.lang]["user_usage"])
            return
        self.persona = Persona(int(args[0]), args[1] if len(args) > 1 else self._name(args[0]))
        self.say("switched", who=self.persona.label(self.lang))

    async def _staff(self, args: list[str]) -> None:
        self.persona = Persona(self.staff_id, TEXTS[self.lang]["staff_name"])
        self.say("switched", who=self.persona.label(self.lang))

    async def _client(self, args: list[str]) -> None:
        if len(args) != 1 or args[0] not in ("ko", "en"):
            self.say("bad_usage", usage=TEXTS[self.lang]["client_usage"])
            return
        self.persona.client_language = args[0]
        self.say("client_set", language=TEXTS[self.lang][f"language_{args[0]}"])

    async def _group(self, args: list[str]) -> None:
        self.persona.in_group = not self.persona.in_group
        if self.persona.in_group:
            self.say("group_on", title=TEXTS[self.lang]["group_title"])
        else:
            self.say("group_off")

    async def _block(self, args: list[str]) -> None:
        await self.sandbox.user_block(self.persona.user_id)
        self.say("blocked", who=self.persona.label(self.lang))

    async def _unblock(self, args: list[str]) -> None:
        await self.sandbox.user_unblock(self.persona.user_id)
        self.say("unblocked", who=self.persona.label(self.lang))

    async def run_due_work(self) -> None:
        """Runs what became due now (the bot's tick would, a few seconds later), shows the
        messages it sent, then one line: what ran, or nothing and what comes next."""
        work = self.runtime.poller.work
        kinds = {item.id: item.kind for item in await work.all()}
        report = await self.runtime.poller.run_due()
        waiting = await work.all()
        for item in waiting:  # items scheduled during the pass, by their own id
            kinds.setdefault(item.id, item.kind)
        await self.settle()
        line = console_due.summary(self.lang, self.tz, report, kinds, waiting)
        self.out.write(line + "\n")
        self.out.flush()

    def _operate(self, command: str, args: list[str]) -> bool:
        """The sandbox gateway's operator API, so a demo never leaves the terminal; False
        when the command was misused (the usage was printed)."""
        try:
            if command == "members":
                self.say("members", members=", ".join(self.gateway.DEMO_MEMBERS))
            elif command == "consent":
                vms_id, site, state = args
                if state not in ("on", "off"):
                    raise ValueError(state)
                # The day in the bot's time zone: at 08:00 KST it is still yesterday in UTC.
                given = self.gateway.now().astimezone(self.tz).date() if state == "on" else None
                if site == "1365":
                    self.gateway.set_consents(vms_id, portal=given)
                elif site == "vms":
                    self.gateway.set_consents(vms_id, vms=given)
                else:
                    raise ValueError(site)
                self.say(f"consent_{state}", vms_id=vms_id, site=site.upper())
            elif command == "volunteer":
                vms_id, hours = args[0], float(args[1])
                record = {
                    "activity_date": self.gateway.now().astimezone(self.tz).date().isoformat(),
                    "host": TEXTS[self.lang]["demo_host"],
                    "activity": TEXTS[self.lang]["demo_activity"],
                    "minutes": max(1, round(hours * 60)),
                }
                self.gateway.add_records(vms_id, [record])
                self.say("volunteered", vms_id=vms_id, hours=args[1])
            elif command == "clock":
                self.gateway.advance_clock(timedelta(hours=float(args[0])))
                now = when(self.lang, self.gateway.now(), self.tz)
                self.say("clock_moved", hours=args[0], now=now)
        except (ValueError, KeyError, IndexError, RuntimeError):
            self.say("bad_usage", usage=OPERATOR_COMMANDS[command])
            return False
        return True


def _shown(entry: object, lang: str) -> str:
    """A message's text; a photo, which a terminal cannot show, as its size and its caption."""
    text = getattr(entry, "text", "")
    photo = getattr(entry, "photo", None)
    if photo is None:
        return text
    label = TEXTS[lang]["photo"].format(width=photo.width, height=photo.height, kb=photo.size_kb)
    return f"{label}\n{text}" if text else label


def _buttons(entry: object) -> list[tuple[str, str | None, str | None]]:
    markup = getattr(entry, "reply_markup", None) or []
    return [
        (button.get("text", ""), button.get("callback_data"), button.get("url"))
        for row in markup
        for button in row
    ]


def start_line_reader(loop: asyncio.AbstractEventLoop, source: TextIO) -> asyncio.Queue[str | None]:
    """Reads lines on a daemon thread (never blocks shutdown); None marks end of input."""
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        for line in iter(source.readline, ""):
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, None)

    threading.Thread(target=pump, name="console-input", daemon=True).start()
    return lines


async def run_console(console: Console, stop: asyncio.Event, source: TextIO = sys.stdin) -> None:
    """The read–act–print loop; returns on :quit, end of input or `stop`."""
    console.say("banner", log=console.log_path or "-")
    if console.sandbox.resumed:
        console.say("resumed", path=console.sandbox.state_path)
    staff = console.sandbox.world.users.get(console.staff_id)
    if staff is None or not staff.started:
        # Telegram lets a bot write only to people who started it: a help request would
        # find nobody to go to, which the demo should not leave as a puzzle.
        console.say("staff_hint")
    link = desk_link(
        console.runtime, console.staff_id, TEXTS[console.lang]["staff_name"], console.lang
    )
    if link is None:
        console.say("desk_off")
    else:
        console.say("desk_on", url=link)
    lines = start_line_reader(asyncio.get_running_loop(), source)
    while not stop.is_set():
        console.prompt()
        next_line = asyncio.create_task(lines.get())
        stopped = asyncio.create_task(stop.wait())
        # Changes print as they come only while nobody types: during a turn the console
        # prints them itself, after the toast the app would show first.
        printer = asyncio.create_task(console.follow())
        done, _ = await asyncio.wait({next_line, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        printer.cancel()  # an event it had not taken stays in the queue for the turn
        if next_line not in done:
            next_line.cancel()
            break
        line = next_line.result()
        if line is None or not await console.handle(line):
            break
    console.show_changes()
    console.out.write("\n")
    console.say("stopping")
