"""Plain questions find their topic by the catalog's keywords; IDs are found inside sentences."""

from __future__ import annotations

import pytest

from bot.services import answers
from bot.services.linking import BadVmsId, SeveralVmsIds, find_vms_id
from handlers.answers import topic_of


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("봉사시간 언제 들어와요?", "when_visible"),
        ("전송이 안 돼요", "send_failing"),
        ("전송이 안돼요ㅠㅠ", "send_failing"),
        ("동의했는데 전송이 안 돼요", "send_failing"),
        ("NEIS에 안 보여요", "neis"),
        ("나이스에 봉사시간이 안 보여요", "neis"),
        ("동의 어떻게 해요", "consent_how"),
        ("주민번호가 바뀌었어요", "rrn_changed"),
        ("1365 계정이 없어졌어요", "dormant"),
        ("센터 전화번호 알려 주세요", "center"),
        ("my records won't send", "send_failing"),
        ("When do my hours show up?", "when_visible"),
        ("오늘 날씨 좋네요", None),
        ("", None),
    ],
)
def test_questions_find_their_topic(question: str, topic: str | None) -> None:
    assert topic_of("ko", question) == topic


def test_english_clients_writing_korean_are_understood() -> None:
    assert topic_of("en", "전송이 안 돼요") == "send_failing"


def test_a_tie_goes_to_the_topic_listed_first() -> None:
    table: answers.KeywordTable = {
        "when_visible": answers.parse_keywords("안보여"),
        "neis": answers.parse_keywords("neis"),
    }
    assert answers.match("NEIS에 안 보여요", table) == "neis"


def test_parts_joined_by_plus_must_all_be_there() -> None:
    table: answers.KeywordTable = {"send_failing": answers.parse_keywords("전송+안")}
    assert answers.match("전송은 했어요", table) is None
    assert answers.match("전송이 안 돼요", table) == "send_failing"


def test_without_a_link_status_and_send_give_way_to_linking() -> None:
    assert answers.next_steps("when_visible", linked=True) == ("status", "send")
    assert answers.next_steps("when_visible", linked=False) == ("link",)
    assert answers.next_steps(None, linked=False) == ("guide", "link", "center")


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("kindly0904", "kindly0904"),
        ("제 아이디는 kindly0904 입니다", "kindly0904"),
        ("kindly0904입니다.", "kindly0904"),
        ("VMS 아이디는 yuna.kim 이에요.", "yuna.kim"),
        ("ｋｉｎｄｌｙ０９０４", "kindly0904"),
        ("1365 말고 VMS 아이디 sora2008", "sora2008"),
    ],
)
def test_the_one_id_shaped_word_is_taken(typed: str, found: str) -> None:
    assert find_vms_id(typed) == found


@pytest.mark.parametrize("typed", ["내 아이디는 뭐였지?", "kindly0904@naver.com", "abc"])
def test_no_id_shaped_word_is_refused(typed: str) -> None:
    with pytest.raises(BadVmsId):
        find_vms_id(typed)


def test_two_ids_are_not_guessed_between() -> None:
    with pytest.raises(SeveralVmsIds):
        find_vms_id("kindly0904 아니면 sora2008 이에요")
