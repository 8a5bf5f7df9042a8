"""The terminal chat: type as a volunteer, see the bot's replies and press its buttons by number."""

from __future__ import annotations

import asyncio
import sys
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TextIO

from bot.runtime import BotRuntime
from sandbox.botapi import BotApiSandbox
from sandbox.console_texts import TEXTS
from sandbox.gateway import GatewaySandbox

OPERATOR_COMMANDS = {
    "members": ":members",
    "consent": ":consent kindly0904 1365|vms on|off",
    "volunteer": ":volunteer kindly0904 2",
    "clock": ":clock 25",
}
DEMO_GROUP_ID = -100_777


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
    _seen_rejections: int = 0
    _seen_deliveries: int = 0

    def say(self, key: str, **values: object) -> None:
        self.out.write(TEXTS[self.lang][key].format(**values) + "\n")
        self.out.flush()

    def prompt(self) -> None:
        self.out.write(TEXTS[self.lang]["prompt"].format(who=self.persona.label(self.lang)))
        self.out.flush()

    def render(self, kind: str, entry: object) -> None:
        """Prints one bot-side change: a new message, an edit or a deletion."""
        chat_id = getattr(entry, "chat_id", None)
        if chat_id != self.persona.chat_id:
            return
        if kind == "delete":
            self.say("deleted", message_id=getattr(entry, "message_id", "?"))
            return
        if not getattr(entry, "from_bot", False):
            return
        edited = f" {TEXTS[self.lang]['edited']}" if kind == "edit" else ""
        lines = [f"\n🤖{edited} {_shown(entry, self.lang)}"]
        for number, (text, _data, url) in enumerate(_buttons(entry), start=1):
            lines.append(f"   [{number}] {text}" + (" ↗" if url else ""))
        self.out.write("\n".join(lines) + "\n")
        self.out.flush()

    def report_rejections(self) -> None:
        for rejection in self.sandbox.rejections[self._seen_rejections :]:
            self.say("rejected", method=rejection.method, description=rejection.description)
        self._seen_rejections = len(self.sandbox.rejections)

    def report_deliveries(self) -> None:
        """Link codes the sandbox gateway "sent": there is no phone, so they appear here."""
        for delivery in self.gateway.deliveries[self._seen_deliveries :]:
            self.say(
                "code_delivered",
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
        sent = await self.sandbox.user_send(
            self.persona.user_id,
            line,
            chat_id=self.persona.chat_id,
            first_name=self.persona.first_name,
            language_code=self.persona.client_language,
            chat_type="supergroup" if self.persona.in_group else "private",
            chat_title=TEXTS[self.lang]["group_title"] if self.persona.in_group else None,
        )
        await self._wait(sent.update_id)
        return True

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
        await self._wait(sent.update_id)

    async def _wait(self, update_id: int) -> None:
        try:
            await self.runtime.processor.wait_processed(update_id, timeout=15)
        except TimeoutError:
            self.say("timeout")
        await asyncio.sleep(0.05)  # let the printer catch up with the last edit
        self.report_rejections()
        await self.gateway.settle_deliveries()  # codes leave off the gateway's response path
        self.report_deliveries()

    async def _meta(self, line: str) -> bool:
        command, *args = line[1:].split()
        if command in ("quit", "q", "exit"):
            return False
        if command == "help":
            self.say("help")
        elif command == "user":
            if not args or not args[0].isdigit():
                self.say("bad_usage", usage=TEXTS[self.lang]["user_usage"])
            else:
                self.persona = Persona(
                    int(args[0]),
                    args[1] if len(args) > 1 else TEXTS[self.lang]["user_n"].format(id=args[0]),
                )
                self.say("switched", who=self.persona.label(self.lang))
        elif command == "staff":
            self.persona = Persona(self.staff_id, TEXTS[self.lang]["staff_name"])
            self.say("switched", who=self.persona.label(self.lang))
        elif command == "client" and args and args[0] in ("ko", "en"):
            self.persona.client_language = args[0]
            self.say("switched", who=self.persona.label(self.lang))
        elif command == "group":
            self.persona.in_group = not self.persona.in_group
            if self.persona.in_group:
                self.say("group_on", title=TEXTS[self.lang]["group_title"])
            else:
                self.say("group_off")
        elif command == "block":
            await self.sandbox.user_block(self.persona.user_id)
            self.say("blocked", who=self.persona.label(self.lang))
        elif command == "unblock":
            await self.sandbox.user_unblock(self.persona.user_id)
            self.say("unblocked", who=self.persona.label(self.lang))
        elif command in OPERATOR_COMMANDS:
            if self._operate(command, args) and command == "clock":
                await self.run_due_work()
        else:
            self.say("help")
        return True

    async def run_due_work(self) -> None:
        """Runs what the moved clock made due (the bot would on its next tick anyway), then
        lets the printer show any message it sent."""
        report = await self.runtime.poller.run_due()
        ran = (len(report.done), len(report.retried), len(report.given_up))
        if any(ran):
            self.say("due_ran", done=ran[0], retried=ran[1], given_up=ran[2])
        await asyncio.sleep(0.05)  # let the printer catch up, as after a message

    def _operate(self, command: str, args: list[str]) -> bool:
        """The sandbox gateway's operator API, so a demo never leaves the terminal; False
        when the command was misused (the usage was printed)."""
        try:
            if command == "members":
                self.say("members", members=", ".join(self.gateway.DEMO_MEMBERS))
            elif command == "consent":
                vms_id, site, state = args
                given = self.gateway.now().date() if state == "on" else None
                if site == "1365":
                    self.gateway.set_consents(vms_id, portal=given)
                elif site == "vms":
                    self.gateway.set_consents(vms_id, vms=given)
                else:
                    raise ValueError(site)
                self.say("consent_set", vms_id=vms_id, site=site.upper(), state=state)
            elif command == "volunteer":
                vms_id, hours = args[0], float(args[1])
                record = {
                    "activity_date": self.gateway.now().date().isoformat(),
                    "host": TEXTS[self.lang]["demo_host"],
                    "activity": TEXTS[self.lang]["demo_activity"],
                    "minutes": max(1, round(hours * 60)),
                }
                self.gateway.add_records(vms_id, [record])
                self.say("volunteered", vms_id=vms_id, hours=args[1])
            elif command == "clock":
                self.gateway.advance_clock(timedelta(hours=float(args[0])))
                self.say(
                    "clock_moved",
                    hours=args[0],
                    now=self.gateway.now().isoformat(timespec="minutes"),
                )
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


async def print_events(console: Console) -> None:
    """Prints bot-side changes as they happen (replies, edits, deletions)."""
    events = console.sandbox.subscribe()
    while True:
        event = await events.get()
        console.render(event.kind, event.entry)


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
    console.say("banner")
    printer = asyncio.create_task(print_events(console))
    lines = start_line_reader(asyncio.get_running_loop(), source)
    try:
        while not stop.is_set():
            console.prompt()
            next_line = asyncio.create_task(lines.get())
            stopped = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait({next_line, stopped}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            if next_line not in done:
                next_line.cancel()
                break
            line = next_line.result()
            if line is None or not await console.handle(line):
                break
    finally:
        printer.cancel()
        console.out.write("\n")
        console.say("stopping")
