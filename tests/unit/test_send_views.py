"""The result message: every failure reason in plain words with its fix and its button."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.flows import Flow, FlowCodec
from bot.services.sending import Ready, result_of
from bot.services.status import RecordLine
from handlers import send_views, status_views
from handlers.common import plain_text
from handlers.send import SendData
from linkage.models import Transmission

TZ = ZoneInfo("Asia/Seoul")
SENT = datetime(2026, 12, 1, 6, 6, tzinfo=UTC)


def transmission(*results: tuple[str, str | None]) -> Transmission:
    body = {
        "transmission_id": "t-1",
        "status": "completed",
        "created_at": "2026-12-01T06:05:00Z",
        "completed_at": "2026-12-01T06:06:00Z",
        "record_count": len(results),
        "extra_field": "ignored",
        "results": [
            {
                "record_id": f"r{n}",
                "status": "succeeded" if code is None else "failed",
                "reason": None if code is None else {"code": code, "message": f"<{code}> & 포털"},
                "visible_on_1365_at": "2026-12-02T06:05:00Z" if code is None else None,
            }
            for n, (code, _) in enumerate(results)
        ],
    }
    return Transmission.model_validate_json(json.dumps(body))


@pytest.mark.parametrize(
    ("code", "fix", "buttons"),
    [
        (
            "consent_1365_missing",
            "1365에서 동의한 뒤 다시 보내",
            ["📋 1365 정보제공 동의 방법 보기", "🔁 실패한 2건 다시 보내기"],
        ),
        (
            "account_1365_not_found",
            "1365에 다시 가입하거나 로그인해서",
            ["📋 1365 정보제공 동의 방법 보기", "🔁 실패한 2건 다시 보내기"],
        ),
        # The reset's guide, as /status names it; no resend before the reset (issue review 12).
        ("identity_mismatch", "'정보제공 동의 초기화'", ["📋 동의 초기화 방법 보기"]),
        ("duplicate", "따로 할 일은 없어요", []),
        ("portal_error", "1시간 뒤에 다시 보내", ["🔁 실패한 2건 다시 보내기"]),
        ("a_code_from_v1_9", "<a_code_from_v1_9> & 포털", ["🔁 실패한 2건 다시 보내기"]),
    ],
)
def test_each_reason_has_its_fix_and_button(code: str, fix: str, buttons: list[str]) -> None:
    result = result_of(1001, transmission((None, None), (code, "x"), (code, "y")))
    # Read when the result came, a minute after the send: visible tomorrow afternoon.
    text, markup = send_views.result("ko", result, SENT, TZ)
    shown = plain_text(text)
    assert "✅ 성공 1건: 내일 오후 3시 5분부터 1365에서 볼 수 있어요." in shown
    assert "❌ 실패 2건" in shown and "2건" in shown
    assert fix in shown, shown
    labels = [b.text for row in markup.inline_keyboard for b in row] if markup else []
    assert labels == buttons
    # The resend sends what it says: the failed records, not the unsent ones too.
    for row in markup.inline_keyboard if markup else []:
        for b in row:
            if b.text.startswith("🔁"):
                assert b.callback_data == "send:failed"
    # The gateway's words are text, never markup.
    assert "<a_code" not in text


def test_confirmation_counts_failed_records_too() -> None:
    flow = Flow("send", "confirm", "AAAAAAAA", SendData(), FlowCodec(SendData))
    text, _ = send_views.prompt("ko", flow, Ready(3, 2, 510, True))
    assert text == "미전송 실적 3건과 실패했던 실적 2건(총 8시간 30분)을 1365로 보낼까요?"
    text, _ = send_views.prompt("ko", flow, Ready(3, 0, 450, True))
    assert text == "미전송 실적 3건(총 7시간 30분)을 1365로 보낼까요?"


def test_too_soon_names_the_time_and_the_minutes_left() -> None:
    now = datetime(2026, 12, 1, 5, 27, 30, tzinfo=UTC)
    until = datetime(2026, 12, 1, 6, 5, tzinfo=UTC)
    text = plain_text(send_views.too_soon("ko", until, now, TZ))
    assert text.endswith("오후 3시 5분부터 보낼 수 있어요(38분 남았어요).")


def _line(status: str, reason: str | None) -> RecordLine:
    return RecordLine(
        ref="0123456789abcdef",
        record_id="r-1",
        activity_date=date(2026, 11, 30),
        host="행복복지관",
        activity="배식",
        minutes=90,
        kind="개인봉사",
        status=status,
        sent_at=None,
        reason_code=reason,
        reason_message=None,
        visible_on_1365_at=None,
    )


def test_only_a_failed_record_that_sending_again_can_help_gets_the_resend_button() -> None:
    def buttons(line: RecordLine) -> list[str]:
        markup = status_views.record_keyboard("ko", "failed", 0, line)
        return [b.callback_data for row in markup.inline_keyboard for b in row]  # type: ignore[misc]

    assert buttons(_line("failed", "consent_1365_missing"))[0] == "send:rec:0123456789abcdef"
    assert buttons(_line("failed", None))[0] == "send:rec:0123456789abcdef"
    for line in (_line("failed", "duplicate"), _line("unsent", None), _line("succeeded", None)):
        assert buttons(line) == ["st:list:failed:0"]


def test_the_nudge_names_the_count_and_opens_send() -> None:
    text, markup = send_views.nudge("ko", 3)
    assert text == "새 봉사 실적 3건이 VMS에 들어왔어요. 1365로 보낼까요?"
    assert markup.inline_keyboard[0][0].callback_data == "send:start"
    text, _ = send_views.nudge("en", 1)
    assert "1 new volunteer record" in text


def test_a_gateway_reason_of_any_length_fits_one_result_message() -> None:
    """An unknown reason is shown in the gateway's own words, cut short: never a lost result."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from bot.services.sending import Failure, SendResult
    from handlers import send_views
    from handlers.view_helpers import fits

    novel = "🙂 " + "아주 긴 설명 " * 2000
    outcome = SendResult(1001, 3, datetime(2026, 3, 3, tzinfo=UTC), [Failure("other", 2, novel)])
    now = datetime(2026, 3, 2, tzinfo=UTC)
    text, _ = send_views.result("ko", outcome, now, ZoneInfo("Asia/Seoul"))
    assert fits(text) and "아주 긴 설명" in text


def test_a_warning_about_failed_records_reads_naturally() -> None:
    """Not "전송에 실패한 실적 3건(총 9시간)이 모두 실패해요" (issue 17, part 7)."""
    flow = Flow("send", "warn_1365", "AAAAAAAA", SendData(), FlowCodec(SendData))
    text, _ = send_views.prompt("ko", flow, Ready(0, 3, 540, False, warning="consent_1365"))
    shown = plain_text(text)
    assert "지금 보내면 실패했던 실적 3건(총 9시간)이 모두 실패로 돌아와요." in shown
    assert "실패한 실적 3건(총 9시간)이 모두 실패해요" not in shown


def test_a_send_result_after_23_h_names_midnight_as_0_tomorrow() -> None:
    """A success sent at 00:32 is visible at 0시 32분 the day after, never "오전 12시 32분"."""
    from bot.services.sending import SendResult

    visible = datetime(2026, 12, 1, 15, 32, tzinfo=UTC)  # 00:32 on 2 December in Seoul
    outcome = SendResult(1001, 2, visible, [])
    now = datetime(2026, 11, 30, 15, 33, tzinfo=UTC)  # 00:33 on 1 December
    text, _ = send_views.result("ko", outcome, now, TZ)
    assert "✅ 성공 2건: 내일 0시 32분부터 1365에서 볼 수 있어요." in plain_text(text)
    text, _ = send_views.result("en", outcome, now, TZ)
    assert "12:32 AM tomorrow" in plain_text(text)
