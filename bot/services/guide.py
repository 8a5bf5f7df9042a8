"""The /howto consent guide: 1365 first, then VMS, five steps each, checked against the gateway.

Every change names the token of the guide message it came from; a token that is no longer the
current one raises GuideReplaced, so presses on an old message never move the guide.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from bot.services.errors import Unavailable
from bot.services.members import ConsentStatus, MemberStatus
from bot.services.status import Failed
from core.types import SITES, Site
from store.guide import GuideProgress, GuideRepository, SiteConsent
from store.links import LinkRow

STEPS = 5
Topic = Literal["account", "menu", "rrn", "dormant", "neis", "failing"]
# The "I'm stuck" answers, in the order the menu offers them.
TOPICS: tuple[Topic, ...] = ("account", "menu", "rrn", "dormant", "neis", "failing")


class MemberLookup(Protocol):
    """The part of LinkService the guide needs."""

    async def current(self, telegram_id: int) -> LinkRow | None: ...

    async def member(self, telegram_id: int) -> MemberStatus | None: ...


class FailedLookup(Protocol):
    """The part of StatusService the guide needs: failed records it must not call "all fine"."""

    async def failed(self, telegram_id: int) -> Failed | None: ...


class GuideReplaced(Exception):
    """The press came from a guide message that is no longer the current one."""

    def __init__(self, current: GuideProgress | None, pressed_token: str) -> None:
        super().__init__("guide message replaced")
        self.current = current
        self.pressed_token = pressed_token

    @property
    def finished(self) -> bool:
        """True when there is no guide in progress to point the user to."""
        return self.current is None or self.current.stage == "done"

    @property
    def just_replaced(self) -> bool:
        """The press came from the message the current one just took over from: most likely
        a second press racing the first, whose answer is the newest message already."""
        return self.current is not None and self.current.previous_token == self.pressed_token


@dataclass(frozen=True)
class SkippedSite:
    """A site the gateway already shows consent for, so its steps are not walked."""

    site: Site
    agreed_on: date | None


@dataclass(frozen=True)
class StepView:
    """Show step `step` of `site` on the message of `token`."""

    token: str
    site: Site
    step: int


@dataclass(frozen=True)
class ResumeOffer:
    """A guide was left half-way: offer to continue at site/step or start over."""

    token: str
    site: Site
    step: int
    replaced_message_id: int | None


@dataclass(frozen=True)
class Started:
    """A fresh guide: the reason, lines for skipped sites, then the first step to show."""

    view: StepView
    skipped: tuple[SkippedSite, ...]
    offline: bool  # linked, but the gateway could not be asked
    replaced_message_id: int | None
    # The gateway shows a 1365 consent, but of an account that is gone ("not_found") or in a
    # state this bot does not know: why the guide starts at 1365 step 1 all the same.
    void_1365: str | None = None
    # Not linked, and last time they said both sites were done (no gateway to check): the
    # guide starts over, but says why it is shown again.
    said_done: bool = False


@dataclass(frozen=True)
class AlreadyDone:
    """The gateway shows both consents: no steps to walk, but maybe records to send again."""

    agreed: tuple[SkippedSite, ...]
    replaced_message_id: int | None
    failed: Failed | None = None  # e.g. identity_mismatch: the consent must be reset


Opening = ResumeOffer | Started | AlreadyDone


@dataclass(frozen=True)
class NextSite:
    """The next site's steps, on a new message."""

    view: StepView
    skipped: tuple[SkippedSite, ...] = ()


@dataclass(frozen=True)
class Finished:
    """Both sites are behind the volunteer; what the bot could and could not verify."""

    skipped: tuple[SkippedSite, ...]
    linked: bool
    unconfirmed: tuple[Site, ...]  # known only from the volunteer's word
    missing_1365: bool  # the gateway shows no 1365 consent, so sends would fail
    failed: Failed | None = None  # records that failed before: send them again


Then = NextSite | Finished


@dataclass(frozen=True)
class Confirmed:
    site: Site
    agreed_on: date | None
    then: Then


@dataclass(frozen=True)
class SelfReported:
    """Not linked: the volunteer's word is kept and the guide moves on."""

    site: Site
    then: Then


@dataclass(frozen=True)
class NotVisible:
    """Linked, but the gateway does not show this consent (yet)."""

    site: Site
    account_gone: bool = False  # 1365: the account itself is not there (yet)


@dataclass(frozen=True)
class Offline:
    """Linked, but the gateway is down: the volunteer's word is kept, the check can be retried."""

    site: Site


DoneOutcome = Confirmed | SelfReported | NotVisible | Offline


def _new_token() -> str:
    return secrets.token_hex(3)


def _confirmed(consent: ConsentStatus) -> SiteConsent:
    return SiteConsent("confirmed", consent.agreed_on)


def _member_consent(member: MemberStatus, site: Site) -> ConsentStatus:
    # A 1365 consent of a deleted (dormant) account is worth nothing: records fail until
    # the volunteer signs up again and consents again.
    # An account state newer than this bot ("other") is not called done either.
    if site == "1365" and member.account_1365 != "active":
        return ConsentStatus(agreed=False)
    return member.consent_1365 if site == "1365" else member.consent_vms


class GuideService:
    """Use-cases of the consent guide; the store holds the position, the gateway the truth."""

    def __init__(
        self,
        progress: GuideRepository,
        links: MemberLookup,
        new_token: Callable[[], str] = _new_token,
        failures: FailedLookup | None = None,
    ) -> None:
        self._progress = progress
        self._links = links
        self._new_token = new_token
        self._failures = failures

    async def _failed(self, telegram_id: int) -> Failed | None:
        return None if self._failures is None else await self._failures.failed(telegram_id)

    async def progress(self, telegram_id: int) -> GuideProgress | None:
        """Where the volunteer stands, or None if they never opened the guide."""
        return await self._progress.get(telegram_id)

    async def open(self, telegram_id: int, site: Site | None = None) -> Opening:
        """Opens the guide: offers to resume a half-done one, else starts afresh.

        `site` asks for one site's steps (a send blocked by that consent, say): a guide already
        at that site continues there without asking.
        """
        row = await self._progress.get(telegram_id)
        if row is not None and row.stage != "done":
            resumable = (row.stage, row.step) != ("1365", 1)
            # A site consented since (seen by the gateway) is not worth resuming: start afresh,
            # which skips it, or says both are done.
            if site is None and resumable and not await self._now_agreed(telegram_id, row.stage):
                token = self._new_token()
                await self._progress.hand_over(telegram_id, row.token, token, row.stage, row.step)
                return ResumeOffer(token, row.stage, row.step, row.message_id)
            if site == row.stage:
                token = self._new_token()
                await self._progress.hand_over(telegram_id, row.token, token, row.stage, row.step)
                return Started(StepView(token, row.stage, row.step), (), False, row.message_id)
        said_done = (
            row is not None
            and row.stage == "done"
            and all(row.consent(s).mark == "self" for s in SITES)
        )
        return await self._start(telegram_id, site, said_done=said_done)

    async def _now_agreed(self, telegram_id: int, site: Site) -> bool:
        """Whether the gateway shows this site's consent now; False when unknown."""
        try:
            member = await self._links.member(telegram_id)
        except Unavailable:
            return False
        return member is not None and _member_consent(member, site).agreed

    async def restart(self, telegram_id: int, token: str) -> Opening:
        """Starts over from the resume offer."""
        await self._current(telegram_id, token)
        return await self._start(telegram_id, None)

    async def resume(self, telegram_id: int, token: str) -> StepView:
        """Continues where the volunteer stopped, on the offer's message."""
        row = await self._current(telegram_id, token)
        if row.stage == "done":
            raise GuideReplaced(row, token)
        return StepView(token, row.stage, row.step)

    async def resend(self, telegram_id: int) -> tuple[StepView, int | None] | None:
        """Moves the current step to a new message; None when no guide is in progress."""
        row = await self._progress.get(telegram_id)
        if row is None or row.stage == "done":
            return None
        token = self._new_token()
        await self._progress.hand_over(telegram_id, row.token, token, row.stage, row.step)
        return StepView(token, row.stage, row.step), row.message_id

    async def shown(self, telegram_id: int, token: str, message_id: int) -> None:
        """Remembers which message shows the guide of this token."""
        await self._progress.shown(telegram_id, token, message_id)

    async def current(self, telegram_id: int, token: str, site: Site) -> GuideProgress:
        """The progress, if `token` is the current message and it shows `site`."""
        row = await self._current(telegram_id, token)
        if row.stage != site:
            raise GuideReplaced(row, token)
        return row

    async def go(self, telegram_id: int, token: str, site: Site, step: int) -> StepView:
        """Moves to a step; the target is in the press, so a repeated press changes nothing."""
        if not 1 <= step <= STEPS:
            raise ValueError(f"no step {step}")
        row = await self._current(telegram_id, token)
        # Back from VMS to the 1365 steps is allowed on the same message (1365 comes first);
        # forward to VMS only through the 1365 step that records the consent.
        if row.stage != site and not (row.stage == "vms" and site == "1365"):
            raise GuideReplaced(row, token)
        if (row.stage, row.step) != (site, step):
            await self._progress.move(telegram_id, token, site, step)
        return StepView(token, site, step)

    async def done(self, telegram_id: int, token: str, site: Site) -> DoneOutcome:
        """The volunteer says this site is done: ask the gateway, or keep their word."""
        row = await self.current(telegram_id, token, site)
        try:
            member = await self._links.member(telegram_id)
        except Unavailable:
            await self._keep_word(row, site)
            return Offline(site)
        if member is None:
            await self._keep_word(row, site)
            return SelfReported(site, await self._advance(row, site, None, linked=False))
        consent = _member_consent(member, site)
        if not consent.agreed:
            if row.step != STEPS:
                await self._progress.move(telegram_id, token, site, STEPS)
            return NotVisible(site, account_gone=site == "1365" and member.account_1365 != "active")
        await self._progress.record_consent(telegram_id, token, site, _confirmed(consent))
        then = await self._advance(row, site, member, linked=True)
        return Confirmed(site, consent.agreed_on, then)

    async def go_on_unchecked(self, telegram_id: int, token: str, site: Site) -> Then:
        """Moves past a site the gateway could not check, on the volunteer's word."""
        row = await self.current(telegram_id, token, site)
        await self._keep_word(row, site)
        linked = await self._links.current(telegram_id) is not None
        return await self._advance(row, site, None, linked=linked)

    # --- internals ------------------------------------------------------------------------

    async def _current(self, telegram_id: int, token: str) -> GuideProgress:
        row = await self._progress.get(telegram_id)
        if row is None or row.token != token:
            raise GuideReplaced(row, token)
        return row

    async def _keep_word(self, row: GuideProgress, site: Site) -> None:
        # The volunteer's word never overrides what the gateway already confirmed.
        if row.consent(site).mark != "confirmed":
            await self._progress.record_consent(
                row.telegram_id, row.token, site, SiteConsent("self", None)
            )

    async def _start(
        self, telegram_id: int, site: Site | None, *, said_done: bool = False
    ) -> Opening:
        member, offline = await self._member_or_offline(telegram_id)
        consents = _gateway_consents(member)
        start = _first_open(consents, site)
        token = self._new_token()
        if start is None:
            replaced = await self._progress.begin(
                telegram_id, token, "done", STEPS, consents["1365"], consents["vms"]
            )
            agreed = tuple(SkippedSite(s, consents[s].agreed_on) for s in SITES)
            return AlreadyDone(agreed, replaced, await self._failed(telegram_id))
        replaced = await self._progress.begin(
            telegram_id, token, start, 1, consents["1365"], consents["vms"]
        )
        said = said_done and member is None and not offline
        return Started(
            StepView(token, start, 1),
            _skipped_before(consents, start),
            offline,
            replaced,
            _void_1365(member),
            said,
        )

    async def _member_or_offline(self, telegram_id: int) -> tuple[MemberStatus | None, bool]:
        """The member as the gateway shows it (None: not linked), and whether it was down."""
        try:
            return await self._links.member(telegram_id), False
        except Unavailable:
            return None, True

    async def _advance(
        self, row: GuideProgress, site: Site, member: MemberStatus | None, *, linked: bool
    ) -> Then:
        """Hands the guide over to the next site's message, or finishes it."""
        marks = {s: row.consent(s).mark for s in SITES}
        marks[site] = "confirmed" if member is not None else "self"
        skipped: tuple[SkippedSite, ...] = ()
        if site == "1365":
            if member is None or not member.consent_vms.agreed:
                token = self._new_token()
                await self._progress.hand_over(row.telegram_id, row.token, token, "vms", 1)
                return NextSite(StepView(token, "vms", 1))
            # VMS is already done as well: say so, and there is nothing left to walk.
            await self._progress.record_consent(
                row.telegram_id, row.token, "vms", _confirmed(member.consent_vms)
            )
            marks["vms"] = "confirmed"
            skipped = (SkippedSite("vms", member.consent_vms.agreed_on),)
        consent_1365 = None if member is None else _member_consent(member, "1365")
        missing_1365 = consent_1365 is not None and not consent_1365.agreed
        if consent_1365 is not None and consent_1365.agreed and marks["1365"] != "confirmed":
            await self._progress.record_consent(
                row.telegram_id, row.token, "1365", _confirmed(consent_1365)
            )
            marks["1365"] = "confirmed"
        await self._progress.hand_over(row.telegram_id, row.token, self._new_token(), "done", STEPS)
        return Finished(
            skipped=skipped,
            linked=linked,
            unconfirmed=tuple(s for s in SITES if marks[s] != "confirmed"),
            missing_1365=missing_1365,
            failed=await self._failed(row.telegram_id) if member is not None else None,
        )


def _gateway_consents(member: MemberStatus | None) -> dict[Site, SiteConsent]:
    """Each site's consent as the gateway confirms it; unknown for a site it does not."""
    consents = {s: SiteConsent() for s in SITES}
    if member is not None:
        for s in SITES:
            if _member_consent(member, s).agreed:
                consents[s] = _confirmed(_member_consent(member, s))
    return consents


def _first_open(consents: dict[Site, SiteConsent], site: Site | None) -> Site | None:
    """The first site still to walk, from `site` on when asked for one (else from the start);
    None when the gateway confirms both."""
    open_sites = [s for s in SITES if consents[s].mark != "confirmed"]
    wanted = [s for s in open_sites if site is None or SITES.index(s) >= SITES.index(site)]
    first = wanted or open_sites
    return first[0] if first else None


def _skipped_before(consents: dict[Site, SiteConsent], start: Site) -> tuple[SkippedSite, ...]:
    """The confirmed sites before `start`: told as done instead of walked."""
    return tuple(
        SkippedSite(s, consents[s].agreed_on)
        for s in SITES[: SITES.index(start)]
        if consents[s].mark == "confirmed"
    )


def _void_1365(member: MemberStatus | None) -> str | None:
    """A 1365 consent the gateway shows for an account that is gone or in an unknown state."""
    if member is not None and member.consent_1365.agreed and member.account_1365 != "active":
        return member.account_1365
    return None
