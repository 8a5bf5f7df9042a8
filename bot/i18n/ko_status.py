"""한국어: 연계 현황(/status)과 실적 목록. 키는 en_status.py와 같아야 합니다."""

TEXTS: dict[str, str] = {
    "command.status": "연계 현황과 실적 보기",
    "button.status": "📊 연계 현황 보기",
    # 현황
    "status.title": "<b>📊 1365 연계 현황</b>",
    "status.not_linked": (
        "아직 VMS 계정이 연결되어 있지 않아요.\n"
        "연결하면 동의 상태와 실적, 전송 결과를 여기서 볼 수 있어요."
    ),
    "status.unavailable": (
        "지금 VMS 연계 서버에 연결할 수 없고, 저장해 둔 정보도 아직 없어요.\n"
        "잠시 뒤에 /status 로 다시 확인해 주세요."
    ),
    "status.stale": "⚠️ 지금 VMS 연계 서버에 연결할 수 없어 저장해 둔 정보를 보여 드려요.",
    "status.as_of": "{time} 기준",
    "status.age.now": "방금 가져온 정보예요.",
    "status.age.minutes": "{minutes}분 전 정보예요.",
    "status.age.hours": "{hours}시간 전 정보예요.",
    "status.age.days": "{days}일 전 정보예요.",
    # 동의 줄: 1365 먼저. 이름은 guide.consent.* (사이트 화면의 이름)
    "status.consent.agreed": "✅ {consent}: {date}에 동의하셨어요.",
    "status.consent.agreed_undated": "✅ {consent}: 동의하셨어요.",
    "status.consent.missing": "❌ {consent}: 아직 안 하셨어요.",
    "status.consent.void_account": "⚠️ {consent}: 1365 계정이 없어져 다시 해야 해요.",
    "status.consent.void_unknown": "⚠️ {consent}: 1365 계정 상태를 확인할 수 없어요.",
    "status.consent.void_identity": "⚠️ {consent}: 주민등록번호가 바뀌어 초기화하고 다시 해야 해요.",
    "status.account.not_found": (
        "⚠️ 1365 계정을 찾을 수 없어요. 1년 넘게 쓰지 않아 휴면 계정으로 삭제됐거나, 처음부터 가입이 안 되어 있을 수 있어요.\n"
        "→ 1365에 다시 가입(또는 로그인)하고 1365 정보제공 동의를 한 뒤 실적을 다시 보내 주세요."
    ),
    "status.account.other": (
        "⚠️ 1365 계정 상태를 여기서는 알 수 없어요.\n"
        "→ 1365에 로그인해서 계정과 동의 상태를 확인해 주세요."
    ),
    "status.records.title": "<b>봉사 실적</b>",
    "status.records.none": "VMS에 등록된 봉사 실적이 아직 없어요.",
    "status.count.total": "모두 {count}건, 총 {hours}",
    "status.count.total_without_duplicates": (
        "모두 {count}건, 총 {hours} (1365에 이미 있어서 받아 주지 않은 중복 {duplicates}건은 뺐어요)"
    ),
    "status.count.unsent": "📤 미전송 {count}건 ({hours})",
    "status.count.pending": "⏳ 결과 기다리는 중 {count}건 ({hours})",
    "status.count.succeeded": "✅ 전송 성공 {count}건 ({hours})",
    "status.count.visible_from": "   {count}건은 {time}부터 1365에서 확인할 수 있어요.",
    "status.count.visible_some": "   {count}건은 지금 1365에서 확인할 수 있어요.",
    "status.count.visible_now": "   1365에서 확인할 수 있어요.",
    "status.count.failed": "❌ 전송 실패 {count}건 ({hours})",
    "status.count.top_reason": "   주된 이유: {reason}",
    "status.count.duplicates": "   그중 {count}건은 1365에 이미 있는 중복이라 따로 하실 일이 없어요.",
    "status.send.now": "🕐 지금 보낼 수 있어요.",
    "status.send.refused": "🕐 VMS 연계 동의가 있어야 보낼 수 있어요.",
    "status.send.refused_both": (
        "🕐 1365 정보제공 동의를 먼저 하고 VMS 연계 동의까지 마쳐야 보낼 수 있어요."
    ),
    "status.send.would_fail": "🕐 지금 보내면 모두 실패해요. 아래 할 일을 먼저 해 주세요.",
    "status.send.later": "🕐 {time}부터 보낼 수 있어요({minutes}분 남았어요).",
    "status.send.later_date": "🕐 {time}부터 보낼 수 있어요.",
    # 다음 할 일: 하나만
    "status.next.title": "<b>다음 할 일</b>",
    "status.next.link": "👉 먼저 VMS 계정을 연결해 주세요.",
    "status.next.consent_1365": (
        "👉 1365에서 정보제공 동의를 해 주세요. 1365 정보제공 동의가 먼저 되어 있어야 실적이 제대로 넘어가요."
    ),
    "status.next.consent_vms": "👉 VMS에서 연계 동의를 해 주세요.",
    "status.next.fix_account": "👉 1365에 다시 가입하거나 로그인하고, 1365 정보제공 동의를 해 주세요.",
    "status.next.fix_identity": (
        "👉 1365에서 '정보제공 동의 초기화'를 누르고, 바뀐 주민등록번호로 실명인증을 한 뒤 "
        "다시 동의해 주세요. 그다음 실패한 실적을 다시 보내 주세요."
    ),
    "status.next.resend_failed": "👉 실패한 실적 {count}건을 다시 보내 주세요.",
    "status.next.send_unsent": "👉 미전송 실적 {count}건을 1365로 보내 주세요.",
    "status.next.resend_later": (
        "👉 실패한 실적 {count}건을 다시 보내야 해요. 전송은 1시간에 한 번이라 {time}부터 보낼 수 있어요."
    ),
    "status.next.send_later": (
        "👉 미전송 실적 {count}건이 남아 있어요. 전송은 1시간에 한 번이라 {time}부터 보낼 수 있어요."
    ),
    "status.next.wait_results": "👉 전송 결과를 기다리고 있어요. 조금 뒤에 🔄 새로고침을 눌러 보세요.",
    "status.next.wait_visible": (
        "👉 보낸 실적 {count}건이 1365에 올라가기를 기다리고 있어요. "
        "{time}부터 1365 자원봉사포털에서 볼 수 있어요."
    ),
    "status.next.look_on_1365": "👉 1365 자원봉사포털에서 실적을 확인해 보세요.",
    "status.next.nothing": "👉 지금은 할 일이 없어요. 새 실적이 생기면 다시 확인해 주세요.",
    "status.button.refresh": "🔄 새로고침",
    "status.button.list": "📋 실적 목록",
    "status.button.link": "🔗 VMS 계정 연결",
    "status.button.guide_reset": "📋 동의 초기화 방법 보기",
    "status.button.open_1365": "🌐 1365 자원봉사포털 열기",
    "status.button.resend": "🔁 실패한 {count}건 다시 보내기",
    "status.button.resend_only": "🔁 실패한 {count}건만 다시 보내기",
    "status.button.send_all": "📤 미전송 {count}건까지 모두 보내기",
    "status.button.send": "📤 미전송 {count}건 보내기",
    "status.refresh.too_soon": "방금 새로 가져왔어요. {seconds}초 뒤에 다시 새로고침할 수 있어요.",
    "status.refresh.unavailable": "지금 VMS 연계 서버에 연결할 수 없어요. 저장해 둔 정보를 보여 드려요.",
    # 실적 목록
    "status.list.title": "<b>📋 실적 목록</b> · {filter} {total}건 · {page}/{pages}쪽",
    "status.list.empty": "이 조건에 맞는 실적이 없어요.",
    "status.list.filter.unsent": "미전송",
    "status.list.filter.failed": "실패",
    "status.list.filter.all": "전체",
    "status.list.item": "<b>{n}.</b> {date} · {hours} · {kind}\n🏢 {host}\n📝 {activity}\n{result}",
    "status.list.short_hours": "   ⚠️ 1시간이 안 되는 실적이라 NEIS에는 올라가지 않아요.",
    "status.list.hint": "번호를 누르면 실적의 전체 내용을 볼 수 있어요.",
    "status.list.back": "◀ 현황으로",
    "status.list.prev": "◀ 이전",
    "status.list.next": "다음 ▶",
    "status.list.gone": "목록이 바뀌었어요. /status 로 새로 열어 주세요.",
    "status.list.no_cache": "실적 목록을 아직 가져오지 못했어요. /status 로 먼저 현황을 열어 주세요.",
    "status.result.unsent": "📤 미전송",
    "status.result.pending": "⏳ {sent}에 전송 · 결과 기다리는 중",
    "status.result.succeeded": "✅ {sent}에 전송 · 성공",
    "status.result.failed": "❌ {sent}에 전송 · 실패",
    "status.result.other": "❔ {sent} · 알 수 없는 상태",
    "status.result.not_sent": "전송 전",
    # 실적 하나
    "status.record.title": "<b>실적 자세히 보기</b>",
    "status.record.body": (
        "봉사일: {date}\n"
        "수요처: {host}\n"
        "활동내역: {activity}\n"
        "봉사시간: {hours}\n"
        "구분: {kind}\n"
        "전송일자: {sent}\n"
        "결과: {result}"
    ),
    "status.record.visible_from": "1365에서 {time}부터 확인할 수 있어요.",
    "status.record.visible_now": "1365에서 확인할 수 있어요.",
    "status.record.back": "◀ 목록으로",
    "status.record.gone": "이 실적을 찾을 수 없어요. /status 로 목록을 새로 열어 주세요.",
    # 실패 이유: 쉬운 말과 고치는 방법
    "status.reason.consent_1365_missing": (
        "1365에서 정보제공 동의가 되어 있지 않아 넘어가지 못했어요.\n"
        "→ 1365에서 동의한 뒤 다시 보내 주세요."
    ),
    "status.reason.consent_1365_missing.short": "1365 정보제공 동의가 없어요",
    "status.reason.consent_1365_missing.given_since": (
        "1365 정보제공 동의 전에 보내서 넘어가지 못한 실적이에요.\n"
        "→ 이제 1365 정보제공 동의가 확인됐으니, 실패한 실적을 다시 보내면 돼요."
    ),
    "status.reason.account_1365_not_found": (
        "1365에서 회원 정보를 찾지 못했어요. 휴면 계정으로 삭제됐거나, 처음부터 가입이 안 되어 있을 수 있어요.\n"
        "→ 1365에 다시 가입(또는 로그인)하고 1365 정보제공 동의를 한 뒤 다시 보내 주세요."
    ),
    "status.reason.account_1365_not_found.short": "1365 계정을 찾을 수 없어요",
    "status.reason.identity_mismatch": (
        "실명인증 정보가 맞지 않아요. 주민등록번호가 바뀐 경우에 생겨요.\n"
        "→ 1365에서 '정보제공 동의 초기화'를 누르고, 새 번호로 실명인증을 한 뒤 다시 동의하고 보내 주세요."
    ),
    "status.reason.identity_mismatch.short": "실명인증 정보가 맞지 않아요",
    "status.reason.duplicate": ("이미 1365에 올라가 있는 실적이에요.\n→ 따로 하실 일은 없어요."),
    "status.reason.duplicate.short": "이미 1365에 있어요",
    "status.reason.portal_error": (
        "1365 포털에 잠깐 오류가 있었어요.\n→ 조금 뒤에 다시 보내 주세요."
    ),
    "status.reason.portal_error.short": "1365 포털에 잠깐 오류가 있었어요",
    "status.reason.other": "1365로 넘어가지 못했어요. 포털에서 알려 준 이유: {message}",
    "status.reason.other.short": "기타 이유",
}
