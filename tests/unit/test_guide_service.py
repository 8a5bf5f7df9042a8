"""The consent guide's use-cases against a real SQLite file and a stand-in for the link service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.services import guide
from bot.services.errors import Unavailable
from bot.services.guide import GuideReplaced, GuideService
from bot.services.members import ConsentStatus, MemberStatus
from core.clock import FakeClock
from store.db import Database
from store.guide import GuideRepository, SiteConsent
from store.links import LinkRow
from store.users import UserRepository

UID = 1001
SEED_1365 = date(2019, 9, 11)
SEED_VMS = date(2020, 3, 19)


class FakeLinks:
    """Answers like LinkService: a member, None when not linked, Unavailable when down."""

    def __init__(self) -> None:
        self.member_now: MemberStatus | None = None
        self.down = False

    async def current(self, telegram_id: int) -> LinkRow | None:
        if self.member_now is None:
            return None
        linked_at = datetime(2026, 3, 1, tzinfo=UTC)
        return LinkRow(telegram_id, "lnk_1", self.member_now.vms_id, None, linked_at)

    async def member(self, telegram_id: int) -> MemberStatus | None:
        if self.down:
            raise Unavailable("simulated outage")
        return self.member_now

    def link(self, *, portal: date | None = None, vms: date | None = None) -> None:
        self.member_now = MemberStatus(
            vms_id="kindly0904",
            id_1365_masked="kindly****",
            consent_1365=ConsentStatus(agreed=portal is not None, agreed_on=portal),
            consent_vms=ConsentStatus(agreed=vms is not None, agreed_on=vms),
            account_1365="active",
        )


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3", clock=FakeClock())
    await UserRepository(database).touch(UID, "ko")
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def links() -> FakeLinks:
    return FakeLinks()


@pytest.fixture
def service(db: Database, links: FakeLinks) -> GuideService:
    counter = iter(range(1, 10_000))
    return GuideService(GuideRepository(db), links, new_token=lambda: f"{next(counter):06x}")


async def started(service: GuideService, site: str | None = None) -> guide.Started:
    opening = await service.open(UID, site)  # type: ignore[arg-type]
    assert isinstance(opening, guide.Started), opening
    await service.shown(UID, opening.view.token, 500)
    return opening


async def test_unlinked_volunteer_walks_both_sites_on_their_word(service: GuideService) -> None:
    opening = await started(service)
    assert opening.view.site == "1365" and opening.view.step == 1
    assert opening.skipped == () and not opening.offline
    token = opening.view.token
    for step in range(2, 6):
        view = await service.go(UID, token, "1365", step)
        assert (view.site, view.step) == ("1365", step)

    first = await service.done(UID, token, "1365")
    assert isinstance(first, guide.SelfReported) and isinstance(first.then, guide.NextSite)
    vms = first.then.view
    assert (vms.site, vms.step) == ("vms", 1) and vms.token != token
    # The 1365 message is finished: its buttons no longer move anything.
    with pytest.raises(GuideReplaced) as caught:
        await service.go(UID, token, "1365", 4)
    assert caught.value.just_replaced and not caught.value.finished

    last = await service.done(UID, vms.token, "vms")
    assert isinstance(last, guide.SelfReported)
    assert last.then == guide.Finished(
        skipped=(), linked=False, unconfirmed=("1365", "vms"), missing_1365=False
    )
    row = await service.progress(UID)
    assert row is not None and row.stage == "done"
    assert row.consent_1365 == SiteConsent("self") and row.consent_vms == SiteConsent("self")


async def test_repeated_step_press_changes_nothing(service: GuideService, db: Database) -> None:
    token = (await started(service)).view.token
    await service.go(UID, token, "1365", 2)
    before = await service.progress(UID)
    db.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    assert await service.go(UID, token, "1365", 2) == guide.StepView(token, "1365", 2)
    assert await service.progress(UID) == before  # not even updated_at moved


async def test_linked_with_1365_consent_starts_at_vms(
    service: GuideService, links: FakeLinks
) -> None:
    links.link(portal=SEED_1365)
    opening = await started(service)
    assert (opening.view.site, opening.view.step) == ("vms", 1)
    assert opening.skipped == (guide.SkippedSite("1365", SEED_1365),)
    row = await service.progress(UID)
    assert row is not None and row.consent_1365 == SiteConsent("confirmed", SEED_1365)


async def test_linked_with_both_consents_has_nothing_to_do(
    service: GuideService, links: FakeLinks
) -> None:
    links.link(portal=SEED_1365, vms=SEED_VMS)
    opening = await service.open(UID)
    assert opening == guide.AlreadyDone(
        (guide.SkippedSite("1365", SEED_1365), guide.SkippedSite("vms", SEED_VMS)), None
    )


async def test_consent_appearing_at_the_gateway_is_confirmed_with_its_date(
    service: GuideService, links: FakeLinks
) -> None:
    links.link()
    token = (await started(service)).view.token
    assert await service.done(UID, token, "1365") == guide.NotVisible("1365")
    row = await service.progress(UID)
    assert row is not None and row.step == 5 and row.consent_1365.mark == "unknown"

    links.link(portal=date(2026, 3, 2))
    outcome = await service.done(UID, token, "1365")
    assert isinstance(outcome, guide.Confirmed) and outcome.agreed_on == date(2026, 3, 2)
    assert isinstance(outcome.then, guide.NextSite)

    links.link(portal=date(2026, 3, 2), vms=date(2026, 3, 2))
    last = await service.done(UID, outcome.then.view.token, "vms")
    assert isinstance(last, guide.Confirmed)
    assert last.then == guide.Finished(skipped=(), linked=True, unconfirmed=(), missing_1365=False)


async def test_vms_already_agreed_is_skipped_after_1365(
    service: GuideService, links: FakeLinks
) -> None:
    links.link(vms=SEED_VMS)
    opening = await started(service)
    assert opening.view.site == "1365"  # VMS alone does not help: 1365 comes first
    links.link(portal=SEED_1365, vms=SEED_VMS)
    outcome = await service.done(UID, opening.view.token, "1365")
    assert isinstance(outcome, guide.Confirmed)
    assert outcome.then == guide.Finished(
        skipped=(guide.SkippedSite("vms", SEED_VMS),),
        linked=True,
        unconfirmed=(),
        missing_1365=False,
    )


async def test_vms_done_without_1365_consent_warns(service: GuideService, links: FakeLinks) -> None:
    opening = await started(service, "vms")
    assert opening.view.site == "vms"
    links.link(vms=SEED_VMS)
    outcome = await service.done(UID, opening.view.token, "vms")
    assert isinstance(outcome, guide.Confirmed)
    assert isinstance(outcome.then, guide.Finished) and outcome.then.missing_1365
    assert outcome.then.unconfirmed == ("1365",)


async def test_gateway_down_keeps_the_word_and_the_check_can_be_retried(
    service: GuideService, links: FakeLinks
) -> None:
    links.link()
    links.down = True
    opening = await started(service)
    assert opening.offline and opening.view.site == "1365"
    token = opening.view.token
    assert await service.done(UID, token, "1365") == guide.Offline("1365")
    row = await service.progress(UID)
    assert row is not None and row.consent_1365 == SiteConsent("self")

    links.down = False
    links.link(portal=SEED_1365)
    outcome = await service.done(UID, token, "1365")
    assert isinstance(outcome, guide.Confirmed) and outcome.agreed_on == SEED_1365
    row = await service.progress(UID)
    assert row is not None and row.consent_1365 == SiteConsent("confirmed", SEED_1365)


async def test_going_on_unchecked_moves_to_vms(service: GuideService, links: FakeLinks) -> None:
    links.link()
    links.down = True
    token = (await started(service)).view.token
    await service.done(UID, token, "1365")
    then = await service.go_on_unchecked(UID, token, "1365")
    assert isinstance(then, guide.NextSite) and then.view.site == "vms"
    await service.done(UID, then.view.token, "vms")
    last = await service.go_on_unchecked(UID, then.view.token, "vms")
    assert last == guide.Finished(
        skipped=(), linked=True, unconfirmed=("1365", "vms"), missing_1365=False
    )


async def test_half_done_guide_is_offered_to_resume(service: GuideService) -> None:
    token = (await started(service)).view.token
    await service.done(UID, token, "1365")  # unlinked: on to VMS
    row = await service.progress(UID)
    assert row is not None
    await service.shown(UID, row.token, 501)
    await service.go(UID, row.token, "vms", 3)

    offer = await service.open(UID)
    assert offer == guide.ResumeOffer(offer.token, "vms", 3, 501)  # type: ignore[union-attr]
    with pytest.raises(GuideReplaced):
        await service.go(UID, row.token, "vms", 4)
    assert await service.resume(UID, offer.token) == guide.StepView(offer.token, "vms", 3)


async def test_restart_from_the_offer_begins_at_1365(service: GuideService) -> None:
    token = (await started(service)).view.token
    await service.go(UID, token, "1365", 4)
    offer = await service.open(UID)
    assert isinstance(offer, guide.ResumeOffer)
    again = await service.restart(UID, offer.token)
    assert isinstance(again, guide.Started) and again.view.step == 1
    row = await service.progress(UID)
    assert row is not None and row.previous_token == offer.token


async def test_a_guide_at_step_one_is_simply_started_again(service: GuideService) -> None:
    await started(service)
    assert isinstance(await service.open(UID), guide.Started)


async def test_asking_for_the_current_site_continues_there(service: GuideService) -> None:
    token = (await started(service)).view.token
    await service.go(UID, token, "1365", 3)
    opening = await service.open(UID, "1365")
    assert isinstance(opening, guide.Started) and opening.view.step == 3
    assert opening.replaced_message_id == 500


async def test_resend_moves_the_step_to_a_new_token(service: GuideService) -> None:
    token = (await started(service)).view.token
    moved = await service.resend(UID)
    assert moved is not None
    view, previous = moved
    assert view.token != token and (view.site, view.step) == ("1365", 1) and previous == 500


async def test_forged_site_for_the_current_token_is_refused(service: GuideService) -> None:
    token = (await started(service)).view.token
    with pytest.raises(GuideReplaced):
        await service.go(UID, token, "vms", 2)
    with pytest.raises(ValueError, match="no step"):
        await service.go(UID, token, "1365", 6)


async def test_unknown_user_and_finished_guide_are_replaced(service: GuideService) -> None:
    with pytest.raises(GuideReplaced) as caught:
        await service.go(UID, "abcdef", "1365", 2)
    assert caught.value.finished


async def test_forget_removes_progress(service: GuideService, db: Database) -> None:
    await started(service)
    await UserRepository(db).delete(UID)
    assert await service.progress(UID) is None
