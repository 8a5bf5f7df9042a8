"""How links and members are shown: masked IDs, consent lines with dates."""

from __future__ import annotations

from datetime import date

from bot.i18n import Html, raw, t
from bot.services.members import ConsentStatus, MemberStatus
from bot.services.privacy import mask_id

SITES = {"1365": "1365", "vms": "VMS"}


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
    lang: str, site: str, consent: ConsentStatus, *, account_gone: bool = False
) -> Html:
    if account_gone:  # a consent given by an account that no longer exists carries nothing
        return t(lang, "link.consent.account_gone", site=SITES[site])
    if not consent.agreed:
        return t(lang, "link.consent.missing", site=SITES[site])
    if consent.agreed_on is None:
        return t(lang, "link.consent.agreed_no_date", site=SITES[site])
    return t(
        lang, "link.consent.agreed", site=SITES[site], date=format_date(lang, consent.agreed_on)
    )


def consents(lang: str, member: MemberStatus) -> Html:
    """Both consents, 1365 first (the order that matters), and what to do next."""
    lines = [
        consent_line(
            lang, "1365", member.consent_1365, account_gone=member.account_1365 == "not_found"
        ),
        consent_line(lang, "vms", member.consent_vms),
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
