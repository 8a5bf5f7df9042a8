"""What one update costs the store: the sender's record, whether they are staff and whether a
flow of theirs is stored are read in one statement at the update's start (each trip to the
store costs more CPU than the query: bench/webhook_cpu.py), and what the guards and the
router decide from it is what they decided when each asked the store itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.runtime import BotRuntime
from tests.journey import Seen, User


async def _traced(bot: BotRuntime, action: Callable[[], Awaitable[Seen]]) -> list[str]:
    """The statements the bot's connection ran during `action`."""
    conn = bot.app.bot_data.backend.db._conn  # type: ignore[union-attr]
    statements: list[str] = []
    await conn.set_trace_callback(lambda sql: statements.append(" ".join(sql.split())))
    try:
        await action()
    finally:
        await conn.set_trace_callback(None)
    return statements


async def test_help_from_a_returning_user_reads_the_user_staff_and_flow_once(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/help")  # created on the first visit

    statements = await _traced(bot, lambda: minji.send("/help"))

    reads_of_users = [s for s in statements if "FROM (SELECT 1 AS one)" in s]
    assert len(reads_of_users) == 1, statements
    # Nothing asks the staff table on its own, and no flow is closed: none was stored.
    assert [s for s in statements if s.startswith("SELECT 1 AS yes FROM staff")] == []
    assert [s for s in statements if s.startswith("DELETE FROM flows")] == []
    # Whether "센터에 질문 남기기" is offered came with that read too (the visit's staff_reachable).
    assert [s for s in statements if "blocked_at IS NULL" in s and "one" not in s] == []


def _offers_a_question(seen: Seen) -> bool:
    return any("센터에 질문 남기기" in button for m in seen.new for button in m.buttons)


async def test_help_offers_the_question_button_exactly_when_a_staff_member_can_receive_it(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji, colleague = user(1001), user(1002)
    staff = bot.app.bot_data.services.staff  # type: ignore[union-attr]
    await colleague.send("/help")
    assert not _offers_a_question(await minji.send("/help"))  # no staff yet
    assert await staff.add(1002, None)
    assert _offers_a_question(await minji.send("/help"))
    # The staff member asking for themself: nobody else could answer.
    assert not _offers_a_question(await colleague.send("/help"))


async def test_a_command_still_closes_the_flow_stored_when_the_update_began(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    minji = user(1001)
    await minji.send("/link")  # the /link flow asks for a VMS ID
    flows = bot.app.bot_data.services.flows  # type: ignore[union-attr]
    assert await flows.read(1001) is not None

    statements = await _traced(bot, lambda: minji.send("/help"))

    assert [s for s in statements if s.startswith("DELETE FROM flows")], statements
    assert await flows.read(1001) is None


async def test_staff_found_in_the_one_read_get_the_staff_lines_and_commands(
    user: Callable[..., User], bot: BotRuntime
) -> None:
    volunteer, colleague = user(1001), user(1002)
    await volunteer.send("/help")
    await colleague.send("/help")
    staff = bot.app.bot_data.services.staff  # type: ignore[union-attr]
    before = (await colleague.send("/help")).text
    refused = (await colleague.send("/broadcast")).text
    assert await staff.add(1002, None)

    after = (await colleague.send("/help")).text
    allowed = (await colleague.send("/broadcast")).text

    assert len(after) > len(before)  # the staff lines were added
    assert refused != allowed
    assert (await volunteer.send("/broadcast")).text == refused
