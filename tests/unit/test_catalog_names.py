"""One name for one thing across every Korean catalog (the volunteer's and the staff's).

The consents are called by their sites' labels, "1365 정보제공 동의" and "VMS 연계 동의"
(guide.consent.*), never the old "1365 연계 동의" or a bare "1365 동의"; the gateway is the
"VMS 연계 서버"; menu paths use "→"; a /command stands as its own word so Telegram apps
still make it tappable. Quotes of the portals ('…') are the sites' words and are skipped.
"""

from __future__ import annotations

import re

import pytest

from bot.i18n import CATALOGS

KO = CATALOGS["ko"]
QUOTED = re.compile(r"'[^']*'")

OLD_NAMES = {
    "1365 연계 동의": re.compile(r"1365 ?연계 ?동의"),
    "1365 동의 (bare)": re.compile(r"1365 동의(?!하)"),
    "VMS 동의 (bare)": re.compile(r"VMS 동의(?!하)"),
    "연계 시스템 (the server is 'VMS 연계 서버')": re.compile(r"연계 시스템"),
    "› (menu paths use →)": re.compile(r"›"),
    "'{name} 님' (님 is written on)": re.compile(r"\{name\} 님"),
}
# Telegram apps link "/cancel" only when no letter follows: "/cancel을" is plain text.
COMMAND_GLUED = re.compile(r"(?<![<\w])/[a-z_]+[가-힣]")


def own_voice(text: str) -> str:
    return QUOTED.sub("''", text)


@pytest.mark.parametrize("old", sorted(OLD_NAMES))
def test_no_old_name_in_the_korean_catalog(old: str) -> None:
    found = [key for key, text in KO.items() if OLD_NAMES[old].search(own_voice(text))]
    assert found == [], f"{old!r} still in {found}"


def test_the_check_sees_an_old_name() -> None:
    """The patterns are live: each catches the text it was written for."""
    assert OLD_NAMES["1365 연계 동의"].search("✅ 1365 연계 동의: 동의하셨어요.")
    assert OLD_NAMES["1365 동의 (bare)"].search("1365 동의가 먼저 되어 있어야 해요")
    assert not OLD_NAMES["1365 동의 (bare)"].search("1365 동의하러 가기는 괜찮아요")
    assert COMMAND_GLUED.search("그만두려면 /cancel을 눌러 주세요")
    assert not COMMAND_GLUED.search("그만두려면 /cancel 을 눌러 주세요 </b>를")


def test_commands_stand_as_their_own_word() -> None:
    glued = [key for key, text in KO.items() if COMMAND_GLUED.search(text)]
    assert glued == []


def test_the_consent_names_are_the_guides() -> None:
    assert KO["guide.consent.1365"] == "1365 정보제공 동의"
    assert KO["guide.consent.vms"] == "VMS 연계 동의"


@pytest.mark.parametrize("lang", sorted(CATALOGS))
def test_one_label_for_one_button(lang: str) -> None:
    """The guide's entry, the send's and the menu's guide buttons do the same: one label;
    so do the send buttons, and the center's contact in the menu and in the guide."""
    texts = CATALOGS[lang]
    for site in ("1365", "vms"):
        assert texts[f"guide.button.entry.{site}"] == texts[f"send.button.guide_{site}"]
    assert texts["status.button.guide_reset"] == texts["send.button.guide_reset"]
    assert texts["button.send"] == texts["guide.button.send"] == texts["send.button.nudge_send"]
    assert texts["button.link"] == texts["guide.button.link"] == texts["status.button.link"]
    assert texts["button.center"] == texts["guide.button.center"]
    # Reaching the center and writing to it are two buttons: they must not look the same.
    assert texts["help.button.ask"] != texts["button.center"]
