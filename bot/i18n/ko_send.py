"""한국어: 1365로 보내기(/send), 전송 결과, 1365에서 확인하라는 알림."""

TEXTS: dict[str, str] = {
    "send.stalled": (
        "보낸 실적의 전송 결과를 오래 기다렸지만 받지 못했어요. "
        "/status 를 눌러 지금 상태를 보시거나, VMS '마이페이지' → '1365연계 결과조회'에서 확인해 주세요."
    ),
    "command.send": "VMS 실적을 1365로 보내기",
    "send.not_linked": "실적을 보내려면 먼저 VMS 계정을 연결해야 해요. 아래 버튼이나 /link 를 눌러 연결해 주세요.",
    "send.vms_consent_missing": (
        "실적을 보내려면 1365 정보제공 동의와 VMS 연계 동의가 모두 있어야 해요. "
        "아직 VMS 연계 동의가 되어 있지 않아서 아무것도 보내지 않았어요.\n"
        "1365에서 먼저 정보제공 동의를 한 다음, VMS에서 연계 동의를 해 주세요. 아래 버튼을 누르면 단계별로 안내해 드려요."
    ),
    "send.vms_consent_missing.vms_only": (
        "VMS 연계 동의가 되어 있지 않아서 보낼 수 없어요. 아무것도 보내지 않았어요.\n"
        "1365 정보제공 동의는 되어 있으니, 이제 VMS에서 연계 동의를 해 주세요. 아래 버튼을 누르면 단계별로 안내해 드려요."
    ),
    "send.too_soon": (
        "VMS 전송은 1시간에 한 번만 할 수 있어요. 이번에는 보내지 않았어요.\n"
        "{time}부터 보낼 수 있어요({left} 남았어요)."
    ),
    "send.in_progress": (
        "조금 전 전송이 접수됐는지 아직 확인하고 있어요. 확인되는 대로 바로 알려 드릴게요."
    ),
    "send.nothing": "지금은 보낼 실적이 없어요. 아직 보내지 않은 실적도, 전송에 실패한 실적도 없어요.",
    "send.unavailable": (
        "지금은 VMS 연계 서버에 연결할 수 없어요. 아무것도 보내지 않았고, "
        "1시간에 한 번인 전송 기회도 그대로 남아 있어요.\n잠시 뒤에 /send 를 눌러 다시 해 주세요."
    ),
    "send.what.unsent": "미전송 실적 {unsent}건",
    "send.what.failed": "실패했던 실적 {failed}건",
    "send.what.both": "미전송 실적 {unsent}건과 실패했던 실적 {failed}건",
    "send.confirm": "{what}(총 {total})을 1365로 보낼까요?",
    "send.warn_1365": (
        "1365 정보제공 동의가 아직 안 되어 있어요. 지금 보내면 {what}(총 {total})이 "
        "<b>모두 실패로 돌아와요</b>.\n"
        "1365에서 먼저 동의한 뒤에 보내는 게 좋아요. 동의 방법부터 볼까요?"
    ),
    "send.confirm_anyway": (
        "정말 보낼까요? 1365 정보제공 동의가 없어서 모든 실적이 실패로 돌아오고, "
        "1시간 동안은 다시 보낼 수 없어요."
    ),
    "send.warn_account": (
        "1365 계정을 찾을 수 없어요. 지금 보내면 {what}(총 {total})이 <b>모두 실패로 돌아와요</b>.\n"
        "1365에 다시 가입하거나 로그인해서 1365 정보제공 동의를 한 뒤에 보내는 게 좋아요. 방법부터 볼까요?"
    ),
    "send.warn_identity": (
        "지난번 전송은 실명인증 정보가 맞지 않아서 실패했어요. 1365에서 '정보제공 동의 초기화'를 하고 "
        "바뀐 주민등록번호로 다시 동의하기 전에는 {what}(총 {total})이 또 <b>모두 실패로 돌아와요</b>.\n"
        "이미 초기화하고 다시 동의하셨다면 '그래도 보내기'를 눌러 주세요."
    ),
    "send.confirm_anyway.account": (
        "정말 보낼까요? 1365 계정이 없어서 모든 실적이 실패로 돌아오고, "
        "1시간 동안은 다시 보낼 수 없어요."
    ),
    "send.confirm_anyway.identity": (
        "정말 보낼까요? 아직 동의를 초기화하지 않았다면 모든 실적이 다시 실패로 돌아오고, "
        "1시간 동안은 다시 보낼 수 없어요."
    ),
    "send.sending": "보내고 있어요…",
    "send.sent": "1365로 보냈어요. 결과는 조금 뒤에 나와요. 나오는 대로 알려 드릴게요.",
    "send.sent_already": "이 전송은 이미 보냈어요. 결과가 나오면 알려 드릴게요.",
    "send.settling": (
        "VMS 연계 서버의 응답이 늦어서 전송이 접수됐는지 아직 몰라요. "
        "같은 실적을 두 번 보내지는 않아요. 확인되는 대로 알려 드릴게요."
    ),
    "send.cancelled": "보내지 않았어요. 아무것도 바뀌지 않았어요.",
    "send.button.send": "보내기",
    "send.button.cancel": "취소",
    "send.button.guide_1365": "📋 1365 정보제공 동의 방법 보기",
    "send.button.guide_vms": "📋 VMS 연계 동의 방법 보기",
    "send.button.guide_reset": "📋 동의 초기화 방법 보기",
    "send.button.anyway": "그래도 보내기",
    "send.button.anyway_sure": "네, 그래도 보낼게요",
    "send.button.resend": "🔁 실패한 {count}건 다시 보내기",
    "send.button.open_1365": "🌐 1365 열기",
    "send.button.resend_record": "🔁 이 실적 다시 보내기",
    "send.button.resend_failed": "🔁 실패한 실적 모두 다시 보내기",
    "send.button.nudge_send": "📤 1365로 실적 보내기",
    "send.record_unknown": (
        "이 실적을 찾을 수 없어요. 그사이 목록이 바뀌었을 수 있어요. /status 를 눌러 다시 확인해 주세요."
    ),
    "send.nudge": "새 봉사 실적 {count}건이 VMS에 들어왔어요. 1365로 보낼까요?",
    # 결과
    "send.result.head": "1365 전송 결과가 나왔어요.",
    "send.result.succeeded": "✅ 성공 {count}건: {time}부터 1365에서 볼 수 있어요.",
    "send.result.succeeded_now": "✅ 성공 {count}건",
    "send.result.failed": "❌ 실패 {count}건",
    "send.reason.consent_1365_missing": (
        "• 1365 정보제공 동의가 없어요({count}건). 1365에서 동의한 뒤 다시 보내 주세요."
    ),
    "send.reason.account_1365_not_found": (
        "• 1365 계정을 찾을 수 없어요({count}건). 휴면 계정으로 지워졌을 수 있어요. "
        "1365에 다시 가입하거나 로그인해서 1365 정보제공 동의를 한 뒤 다시 보내 주세요."
    ),
    "send.reason.identity_mismatch": (
        "• 실명인증 정보가 맞지 않아요({count}건). 주민등록번호가 바뀌었다면 1365에서 "
        "'정보제공 동의 초기화'를 누르고, 바뀐 번호로 실명인증을 한 뒤 다시 동의하고 보내 주세요."
    ),
    "send.reason.duplicate": "• 이미 1365에 있는 실적이에요({count}건). 따로 할 일은 없어요.",
    "send.reason.portal_error": (
        "• 1365 쪽 오류로 실패했어요({count}건). 1시간 뒤에 다시 보내 주세요."
    ),
    "send.reason.other": "• 실패({count}건): {message}",
    "send.result.refused": "조금 전 전송은 접수되지 않았어요. 1365로 간 실적은 없어요.",
    "send.result.refused_until": (
        "조금 전 전송은 접수되지 않았어요. 1365로 간 실적은 없어요.\n"
        "{time}부터 다시 보낼 수 있어요."
    ),
    "send.result.unknowable": (
        "조금 전 전송이 접수됐는지 확인할 수 없게 됐어요. VMS 연결이 끊겨서 더는 물어볼 수 없어요. "
        "1365로 갔을 수도 있으니, VMS '마이페이지' → '1365연계 결과조회'에서 확인해 주세요."
    ),
    "send.result.unknowable_accepted": (
        "조금 전 전송은 접수됐지만, VMS 연결이 끊겨서 결과를 받아 올 수 없어요. "
        "VMS '마이페이지' → '1365연계 결과조회'에서 확인해 주세요."
    ),
    "send.visible": (
        "이제 1365에서 확인해 보세요! 보낸 실적 {count}건이 1365 '나의자원봉사'에 올라왔어요."
    ),
    "send.visible.record": "• {date} {host} — {activity} ({hours})",
    "send.visible.more": "… 외 {count}건",
}
