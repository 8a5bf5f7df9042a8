"""HelpService over a real store: who a question reaches, the limits, the first answer wins,
expiry; without Telegram (tests/staff/test_help_requests.py shows the messages)."""

from __future__ import annotations

from datetime import timedelta

from bot.services.container import Backend, Services
from bot.services.help_requests import (
    EVERY,
    EXPIRE,
    KEEP_FOR,
    MAX_OPEN,
    AskedTooSoon,
    Copy,
    Opened,
    TooMany,
)
from core.clock import FakeClock
from sandbox.gateway import GatewaySandbox
from store.due_work import DueWorkRepository
from tests.conftest import ADMIN_ID
from tests.helpers.services import link

MINJI, STAFF = 1001, 2001


async def staff_team(services: Services) -> None:
    """The admin (from the settings) and one staff member, both of whom wrote to the bot."""
    for member in (ADMIN_ID, STAFF):
        await services.users.seen(member, "ko")
    assert await services.staff.add(STAFF, ADMIN_ID)


async def test_a_question_reaches_all_staff_with_the_askers_summary_and_one_answer_wins(
    services: Services, gateway: GatewaySandbox
) -> None:
    await staff_team(services)
    await link(services, gateway, MINJI, "kindly0904")
    await services.status.show(MINJI)
    assert await services.help_requests.can_ask(MINJI)
    assert await services.help_requests.may_ask(MINJI) is None
    opened = await services.help_requests.open(MINJI, "실적이 안 보여요")
    assert isinstance(opened, Opened)
    assert sorted(opened.staff) == [STAFF, ADMIN_ID]
    assert opened.request.question == "실적이 안 보여요"
    asker = opened.asker
    assert asker.linked and asker.vms_id_masked == "kin****04"
    assert asker.status is not None and asker.status.summary.unsent.count == 4
    copies = [Copy(STAFF, 20), Copy(ADMIN_ID, 10)]
    assert await services.help_requests.delivered(opened.request, copies)
    assert await services.help_requests.open_count() == 1

    behind = await services.help_requests.request_behind(STAFF, 20)
    assert behind is not None and behind.id == opened.request.id
    answered = await services.help_requests.answer(behind, STAFF)
    assert answered is not None and sorted(answered.copies, key=lambda c: c.chat_id) == copies
    assert await services.help_requests.answer(behind, ADMIN_ID) is None  # already answered
    assert await services.help_requests.open_count() == 0
    # The answer could not reach the volunteer: open again, and answerable again.
    await services.help_requests.undo(behind, STAFF)
    assert await services.help_requests.open_count() == 1
    assert await services.help_requests.answer(behind, ADMIN_ID) is not None
    actions = [e.action for e in await services.staff.recent_actions()]
    assert actions.count("help.answer") == 2 and "help.undelivered" in actions


async def test_one_question_per_ten_minutes_and_three_open_at_most(
    services: Services, clock: FakeClock
) -> None:
    await staff_team(services)
    await services.users.seen(MINJI, "ko")
    for n in range(MAX_OPEN):
        opened = await services.help_requests.open(MINJI, f"질문 {n}")
        assert isinstance(opened, Opened)
        await services.help_requests.delivered(opened.request, [Copy(STAFF, 100 + n)])
        clock.advance(timedelta(minutes=4))
        if n + 1 < MAX_OPEN:
            refused = await services.help_requests.open(MINJI, "또 질문")
            assert refused == AskedTooSoon(EVERY - timedelta(minutes=4))
            assert await services.help_requests.may_ask(MINJI) == refused
        clock.advance(EVERY)
    assert await services.help_requests.open(MINJI, "네 번째") == TooMany(MAX_OPEN)
    asker = await services.help_requests.asker(MINJI)
    assert not asker.linked and asker.vms_id_masked is None and asker.status is None


async def test_nobody_to_ask_and_a_question_nobody_got_is_tried_again(
    services: Services, backend: Backend
) -> None:
    await services.users.seen(ADMIN_ID, "ko")
    assert not await services.help_requests.can_ask(ADMIN_ID)  # the only staff is the asker
    await services.users.seen(MINJI, "ko")
    opened = await services.help_requests.open(MINJI, "질문")
    assert isinstance(opened, Opened)
    assert not await services.help_requests.delivered(opened.request, [])
    assert await services.help_requests.undelivered(MINJI) == [opened.request]
    assert await services.help_requests.open_count() == 0  # open means delivered to staff


async def test_an_unanswered_question_expires_once_after_two_weeks(
    services: Services, backend: Backend, clock: FakeClock
) -> None:
    await staff_team(services)
    await services.users.seen(MINJI, "ko")
    opened = await services.help_requests.open(MINJI, "질문")
    assert isinstance(opened, Opened)
    await services.help_requests.delivered(opened.request, [Copy(STAFF, 1)])
    (item,) = await DueWorkRepository(backend.db).all(EXPIRE)
    assert item.due_at == opened.request.created_at + KEEP_FOR
    clock.advance(KEEP_FOR - timedelta(seconds=1))
    assert await services.help_requests.expire_due(MINJI) == []
    clock.advance(timedelta(seconds=1))
    (expired,) = await services.help_requests.expire_due(MINJI)
    assert expired.id == opened.request.id
    assert await services.help_requests.expire_due(MINJI) == []
    assert await services.help_requests.open_count() == 0
