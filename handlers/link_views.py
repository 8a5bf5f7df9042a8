"""How links and members are shown: masked IDs, consent lines with dates."""

from __future__ import annotations

from datetime import date

from bot.i18n import Html, raw, t
from bot.services.members import ConsentStatus, MemberStatus
from bot.services.privacy import mask_id
from core.types import AccountState, Site


def format_date(lang: str, day: date) -> str:
    return raw(lang, "link.date", year=day.year, month=day.month, day=day.day)


def pair(lang: str, vms_id: str, id_1365_masked: str | None) -> Html:
    """VMS 아이디 kin****04 ↔ 1365 아이디 kindly****"""
    return t(
        lang,
        "link.pair",
        vms_id=mask_id(vms_id),
        id_1365=id_1365_masked or raw(lang, "link.no_1365_id"),
    )


def consent_line(
    lang: str,
    site: Site,
    consent: ConsentStatus,
    *,
    account_1365: AccountState,
    identity_void: bool = False,
) -> Html:
    """One consent by the name its site gives it ("1365 정보제공 동의", "VMS 연계 동의").

    `account_1365` is required so that no caller can forget it: a 1365 consent given by an
    account that is gone (or in a state this bot does not know) carries nothing and is never
    shown green; neither is one given before a resident-number change (`identity_void`).
    """
    name = raw(lang, f"guide.consent.{site}")
    if site == "1365" and consent.agreed:
        if account_1365 == "not_found":
            return t(lang, "status.consent.void_account", consent=name)
        if account_1365 != "active":
            return t(lang, "status.consent.void_unknown", consent=name)
        if identity_void:
            return t(lang, "status.consent.void_identity", consent=name)
    if not consent.agreed:
        return t(lang, "status.consent.missing", consent=name)
    if consent.agreed_on is None:
        return t(lang, "status.consent.agreed_undated", consent=name)
    return t(lang, "status.consent.agreed", consent=name, date=format_date(lang, consent.agreed_on))


def consents(lang: str, member: MemberStatus) -> Html:
    """Both consents, 1365 first (the order that matters), and what to do next."""
    lines = [
        consent_line(lang, "1365", member.consent_1365, account_1365=member.account_1365),
        consent_line(lang, "vms", member.consent_vms, account_1365=member.account_1365),
    ]
    if member.account_1365 == "not_found":
        lines.append(t(lang, "link.account_missing"))
    elif member.account_1365 == "other":  # a state newer than this bot
        lines.append(t(lang, "link.account_other"))
    elif not member.consent_1365.agreed:
        lines.append(t(lang, "link.consent.next"))
    elif not member.consent_vms.agreed:
        lines.append(t(lang, "link.consent.next_vms"))
    return Html("\n".join(lines))
