"""Issue 17, part 5: staff segments count what the bot last learned from VMS by any read
(linking, /send, results, new-record polls), not only what /status cached, and say as of when.

Seen in the trial: right after four volunteers linked, "동의 미완료" showed 4 (truth 3) and
"미전송·실패" 0 (truth 1); a volunteer who had sent everything still counted as "미전송·실패".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from bot.runtime import BotRuntime
from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from tests.conftest import ADMIN_ID
from tests.helpers.linking import link
from tests.journey import User


def count(picker: str, segment: str) -> int:
    match = re.search(re.escape(segment) + r": (\d+)명", picker)
    assert match is not None, picker
    return int(match[1])


async def picker(admin: User) -> str:
    text = (await admin.send("/broadcast")).new[0].text
    await admin.click("취소")
    return str(text)


async def test_counts_follow_linking_and_sending_without_status(
    user: Callable[..., User], gateway: GatewaySandbox, bot: BotRuntime, clock: FakeClock
) -> None:
    admin = user(ADMIN_ID, first_name="관리")
    await admin.send("/start")
    kindly, sora, minjun = user(1001), user(1002), user(1003)
    await link(kindly, gateway, "kindly0904")  # both consents, 4 unsent
    await link(sora, gateway, "sora2008")  # neither consent, 3 unsent
    await link(minjun, gateway, "minjun.vms")  # VMS consent only, 3 unsent
    # Nobody opened /status: linking alone told the bot their consents and unsent records.
    shown = await picker(admin)
    assert count(shown, "동의를 마치지 않은 봉사자") == 2
    assert count(shown, "실적을 전송하지 않았거나 전송에 실패한 봉사자") == 3
    assert "ⓘ 동의와 전송 숫자는 봇이 봉사자마다 VMS에서 마지막으로 확인한 내용이에요." in shown
    assert "가장 오래된 것은 오후 6시 기준이에요." in shown  # the fake clock, KST (today)
    # Kindly sends everything: from the moment the gateway took it she is not "unsent".
    await kindly.send("/send")
    await kindly.click("보내기")
    shown = await picker(admin)
    assert count(shown, "실적을 전송하지 않았거나 전송에 실패한 봉사자") == 2
    clock.advance(timedelta(seconds=61))
    await bot.poller.run_due()  # all four succeeded
    assert count(await picker(admin), "실적을 전송하지 않았거나 전송에 실패한 봉사자") == 2
    # Minjun sends: every record fails (no 1365 consent), so he counts again, now as failed.
    await minjun.send("/send")
    await minjun.click("그래도 보내기")
    assert "1365로 보냈어요" in (await minjun.click("네, 그래도 보낼게요")).text
    assert count(await picker(admin), "실적을 전송하지 않았거나 전송에 실패한 봉사자") == 1
    clock.advance(timedelta(seconds=61))
    await bot.poller.run_due()
    assert "실패" in minjun.last.text
    shown = await picker(admin)
    assert count(shown, "실적을 전송하지 않았거나 전송에 실패한 봉사자") == 2
    assert count(shown, "동의를 마치지 않은 봉사자") == 2
