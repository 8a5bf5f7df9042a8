"""`run_bot.py demo` stopped and started again, as someone trying it does: the chats carry
on, nothing old is printed again, nothing is refused, and the log stays out of the chat."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from tests.helpers.processes import clean_env, start_demo

PROMPT = b"> "


class Typist:
    """One run of the demo, typed into line by line."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def read_prompt(self) -> str:
        assert self.process.stdout is not None
        return (await asyncio.wait_for(self.process.stdout.readuntil(PROMPT), 20)).decode()

    async def say(self, line: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        await self.process.stdin.drain()
        return await self.read_prompt()

    async def link(self, vms_id: str) -> str:
        await self.say("/link")
        code = re.search(r"인증번호 (\d{6})", await self.say(vms_id))
        assert code is not None
        return await self.say(code.group(1))

    async def quit(self) -> tuple[str, str]:
        assert self.process.stdin is not None
        self.process.stdin.write(b":quit\n")
        out, err = await asyncio.wait_for(self.process.communicate(), 20)
        assert self.process.returncode == 0, err.decode()
        return out.decode(), err.decode()


async def test_a_restarted_demo_carries_on_without_old_codes_or_refusals(tmp_path: Path) -> None:
    first = Typist(await start_demo(tmp_path))
    await first.read_prompt()
    await first.say("/howto")  # a guide message the bot will edit after the restart
    assert "연결했어요" in await first.link("kindly0904")  # as 민지, #1001
    await first.quit()
    assert (tmp_path / "data" / "demo-telegram.json").exists()

    second = Typist(await start_demo(tmp_path))
    banner = await second.read_prompt()
    assert "모의 발송" not in banner  # the code of the first run is not printed again
    assert "지난번 대화를 이어서 해요" in banner
    # The bot retires the guide message of the first run: the sandbox still has it.
    howto = await second.say("/howto")
    assert "(수정됨)" in howto and "거절" not in howto and "모의 발송" not in howto
    await second.say(":user 1002 지훈")
    taken = await second.link("kindly0904")
    # The takeover notice reaches 민지, whom the sandbox remembers.
    assert "🤖 → 민지 #1001 대화에 보낸 메시지:" in taken
    assert taken.count("📱 (모의 발송)") == 0  # the code was printed when it was sent
    out, err = await second.quit()
    assert "거절" not in howto + taken + out
    assert "Traceback" not in err


async def test_the_log_goes_to_a_file_and_the_chat_gets_one_line(tmp_path: Path) -> None:
    env = clean_env(LOG_LEVEL="DEBUG")
    demo = Typist(await start_demo(tmp_path, env))
    await demo.read_prompt()
    said = await demo.say("900101-1234567")  # the bot deletes it and logs a warning
    assert "경고 로그 1줄이 data/demo.log 파일에 남았어요." in said
    out, err = await demo.quit()
    chat = said + out
    assert "WARNING" not in chat and "DEBUG" not in chat and "INFO" not in chat
    assert "WARNING" not in err and "DEBUG" not in err and "INFO" not in err
    log = (tmp_path / "data" / "demo.log").read_text(encoding="utf-8")
    assert "WARNING handlers.guards" in log and "bot stopped" in log
    assert "1234567" not in log and "SANDBOX-TOKEN" not in log
