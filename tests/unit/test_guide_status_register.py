"""The guide's and /status's Korean: 해요체 in the bot's own voice, particles for the word.

The portals' own words that the guide quotes ('…동의하셨습니다' and so on) stay as the sites
show them: they are inside '…' quotes, and only the text outside the quotes is the bot's voice.
"""

from __future__ import annotations

import re

import pytest

from bot.i18n import ko_guide, ko_status

CATALOGS = {"ko_guide": ko_guide.TEXTS, "ko_status": ko_status.TEXTS}
QUOTED = re.compile(r"'[^']*'")
# 합쇼체 endings: -습니다/-ㅂ니다 (입니다, 됩니다, 합니다…), -습니까, -십시오.
FORMAL = re.compile(r"(습니다|[입됩합갑봅랍]니다|습니까|십시오)")
MACHINE_PARTICLES = re.compile(r"은\(는\)|\(은\)는|이\(가\)|을\(를\)|\(으\)로|와\(과\)|과\(와\)")
PADDED_DATE = re.compile(r"\b0\d월|\b0\d일")


def own_voice(text: str) -> str:
    """The text without what it quotes from the sites."""
    return QUOTED.sub("''", text)


def test_the_own_voice_is_haeyo_only() -> None:
    formal = [
        f"{name} {key}: {FORMAL.search(own_voice(text))[0]}"  # type: ignore[index]
        for name, texts in CATALOGS.items()
        for key, text in texts.items()
        if FORMAL.search(own_voice(text))
    ]
    assert formal == []


def test_quotes_of_the_sites_keep_their_own_words() -> None:
    """The check above really sees the quotes: the 1365 page's sentence is 합쇼체, quoted."""
    step = ko_guide.TEXTS["guide.step.1365.5.see"]
    assert FORMAL.search(step) is not None and FORMAL.search(own_voice(step)) is None


@pytest.mark.parametrize("name", sorted(CATALOGS))
def test_no_machine_particles_and_no_padded_dates(name: str) -> None:
    for key, text in CATALOGS[name].items():
        assert MACHINE_PARTICLES.search(text) is None, key
        assert PADDED_DATE.search(own_voice(text)) is None, key


def test_each_consent_is_called_by_its_site_label() -> None:
    """'봉사실적 연계를 위한 정보제공 동의' on 1365, '1365자원봉사포털 연계 동의' on VMS:
    never "1365 연계 동의", which neither site says."""
    for name, texts in CATALOGS.items():
        for key, text in texts.items():
            assert "1365 연계 동의" not in own_voice(text), f"{name} {key}"
    assert ko_guide.TEXTS["guide.consent.1365"] == "1365 정보제공 동의"
    assert ko_guide.TEXTS["guide.consent.vms"] == "VMS 연계 동의"
