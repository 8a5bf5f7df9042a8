"""센터 담당자 기능의 한국어 문장. 키는 en_staff.py와 같아야 합니다."""

TEXTS: dict[str, str] = {
    "staff.only": "센터 담당자만 쓸 수 있는 명령이에요.",
    "staff.only_button": "센터 담당자만 쓸 수 있는 버튼이에요.",
    # 담당자 명령 메뉴 (담당자 대화에만 보여요)
    "staff.command.staff": "담당자 목록, 초대와 초대 취소, 기록",
    "staff.command.broadcast": "봉사자에게 공지 보내기",
    "staff.command.remind": "정기 알림 관리",
    "staff.command.stats": "통계 보기",
    # /staff
    "staff.list.title": "<b>센터 담당자</b>",
    "staff.list.admin": "• {name} — 관리자",
    "staff.list.member": "• {name} — 담당자 ({date}부터)",
    "staff.list.none": "초대받은 담당자는 아직 없어요.",
    "staff.list.admin_hint": (
        "새 담당자 초대: /staff invite\n열린 초대 보기·취소: /staff invites\n"
        "최근 기록 보기: /staff log"
    ),
    "staff.usage": (
        "쓸 수 있는 명령은 /staff, /staff invite, /staff invites, /staff log 네 가지예요."
    ),
    "staff.button.remove": "{name}님 내보내기",
    "staff.button.log": "최근 기록",
    "staff.button.remove_yes": "네, 내보낼게요",
    "staff.button.remove_no": "아니요",
    "staff.remove.confirm": "{name}님을 담당자에서 내보낼까요? 내보내면 바로 담당자 명령을 쓸 수 없게 돼요.",
    "staff.remove.done": "{name}님을 담당자에서 내보냈어요.",
    "staff.remove.gone": "이미 담당자가 아니에요.",
    "staff.remove.kept": "내보내지 않았어요.",
    "staff.admin_only": "관리자만 할 수 있어요.",
    "staff.invite.admin_only": "담당자 초대는 관리자만 할 수 있어요. 관리자에게 부탁해 주세요.",
    "staff.invite.created": (
        "새 담당자에게 아래 링크를 보내 주세요. 한 번만 쓸 수 있고, {expires}까지 열려요.\n\n{link}"
    ),
    "staff.invites.title": "<b>아직 쓸 수 있는 초대 링크</b>",
    "staff.invites.line": "• {expires}까지 · {name}님이 만듦",
    "staff.invites.none": "아직 쓸 수 있는 초대 링크가 없어요. 새로 만들려면 /staff invite",
    "staff.invites.revoke": "{expires}까지인 초대 취소",
    "staff.invites.revoked": "초대 링크를 취소했어요. 이제 그 링크로는 담당자가 될 수 없어요.",
    "staff.invites.gone": "이미 쓰였거나 기한이 지났거나 취소된 초대예요.",
    "staff.join.joined": "센터 담당자가 됐어요. 명령 메뉴에서 담당자 명령을 볼 수 있어요.",
    "staff.join.already": "이미 센터 담당자예요.",
    "staff.join.refused": (
        "이 초대 링크는 쓸 수 없어요. 이미 쓰였거나, 기한이 지났거나, 취소됐을 수 있어요. "
        "센터 관리자에게 새 링크를 부탁해 주세요."
    ),
    # /staff log
    "staff.log.title": "<b>최근 담당자 기록</b>",
    "staff.log.empty": "아직 기록이 없어요.",
    "staff.log.line": "• {when} · {actor} · {what}",
    "staff.log.actor_gone": "지워진 사용자",
    "staff.log.actor_bot": "봇(자동)",
    "staff.log.staff.add": "담당자 추가 ({member})",
    "staff.log.staff.remove": "담당자 내보냄 ({member})",
    "staff.log.staff.invite": "초대 링크 만듦",
    "staff.log.staff.join": "초대 링크로 담당자가 됨",
    "staff.log.staff.invite.revoke": "초대 링크 취소함",
    "staff.log.help.answer": "문의 #{request}에 답함",
    "staff.log.help.undelivered": "문의 #{request}의 답을 전하지 못함",
    "staff.log.broadcast.launch": "공지 #{broadcast} 보내기 시작 ({recipients}명)",
    "staff.log.broadcast.cancel": "공지 #{broadcast} 멈춤 (받음 {sent}명 · 남음 {queued}명)",
    "staff.log.broadcast.done": (
        "공지 #{broadcast} 전송 끝 (받음 {sent}명 · 실패 {failed}명 · 차단 {blocked}명)"
    ),
    "staff.log.broadcast.cancelled": (
        "공지 #{broadcast} 전송 멈춤 (받음 {sent}명 · 보내지 않음 {queued}명)"
    ),
    "staff.log.broadcast.resend": (
        "공지 #{of}에서 확인 안 된 사람에게 다시 보냄: 공지 #{broadcast} ({recipients}명)"
    ),
    "staff.log.broadcast.aborted": (
        "공지 #{broadcast} 전송 중단: 텔레그램이 메시지를 받지 않음 (받음 {sent}명)"
    ),
    "staff.log.reminder.create": "알림 #{reminder} 만듦",
    "staff.log.reminder.pause": "알림 #{reminder} 멈춤",
    "staff.log.reminder.resume": "알림 #{reminder} 다시 켬",
    "staff.log.reminder.delete": "알림 #{reminder} 지움",
    "staff.log.reminder.skip": "알림 #{reminder} 건너뜀: 봇이 하루 넘게 꺼져 있어서 {missed}번을 보내지 않음",
    "staff.log.reminder.skip_empty": "알림 #{reminder} 건너뜀: 대상에 해당하는 봉사자가 없어서 보내지 않음",
    # 예전 버전이 남긴 기록만: 보기는 이제 감사 기록에 남기지 않아요.
    "staff.log.stats.view": "통계 봄",
    "staff.log.desk.lookup": "업무 창에서 봉사자를 찾아봄",
    "staff.log.other": "{action}",
    # 센터에 문의 (봉사자 쪽)
    "help.button.ask": "✍️ 센터에 질문 남기기",
    "help.ask.prompt": (
        "센터 담당자에게 보낼 질문을 한 메시지로 써 주세요. 주민등록번호는 쓰지 마세요.\n"
        "그만두려면 /cancel 을 눌러 주세요."
    ),
    "help.ask.sent": "센터에 전했어요. 담당자가 답하면 여기로 알려 드릴게요.",
    "help.ask.too_many": (
        "아직 답을 기다리는 문의가 {count}건 있어요. 답을 받은 뒤에 새로 물어봐 주세요."
    ),
    "help.ask.too_soon": "문의는 10분에 한 번 보낼 수 있어요. {minutes}분 뒤에 다시 보내 주세요.",
    "help.ask.too_long": (
        "질문이 너무 길어요. 담당자에게 가는 메시지가 텔레그램 한 메시지 한도({limit}자)보다 "
        "{over}자 길어요. {over}자 이상 줄여서 다시 보내 주세요. "
        "이모지 같은 글자는 텔레그램이 2자로 세요."
    ),
    "help.ask.text_only": "질문은 글로 써 주세요.",
    "help.ask.kept": (
        "지금은 센터 담당자에게 질문을 바로 전하지 못했어요. 질문은 {until}까지 남겨 두고 "
        "다시 전해 볼게요. 담당자가 답하거나 그때까지 답이 없으면 여기로 알려 드릴게요."
    ),
    "help.ask.delivered_late": "남겨 두신 질문(문의 #{id})을 센터 담당자에게 전했어요. 답이 오면 여기로 알려 드릴게요.",
    "help.ask.expired_unanswered": (
        "{when}에 남기신 질문에 14일 동안 답이 오지 않아서 닫았어요. 질문 내용은 지웠어요. "
        "아직 궁금하시면 /help 에서 다시 물어봐 주세요."
    ),
    "help.ask.no_staff": "이 봇으로는 지금 센터 담당자에게 질문을 전할 수 없어요. 아래 연락처로 센터에 물어봐 주세요.",
    "help.ask.no_staff_no_contact": (
        "이 봇에는 아직 질문을 받을 센터 담당자가 없어서, 여기서 질문을 남길 수 없어요. "
        "아래에서 자주 묻는 질문의 답과 동의 안내를 볼 수 있어요. "
        "그래도 해결되지 않으면 소속 자원봉사센터나 봉사하신 기관에 문의해 주세요."
    ),
    "help.ask.expired": "질문을 쓰기 시작한 지 오래돼서 닫았어요. /help 에서 다시 시작해 주세요.",
    # 센터에 문의 (담당자 쪽)
    "help.staff.copy": (
        "<b>📩 문의 #{id}</b>\n{asker}\n\n{question}\n\n"
        "<i>이 메시지에 답장하면 봉사자에게 답이 전해져요. 답은 쓴 글자 그대로 가요"
        " (굵게·링크 같은 서식은 빠져요).</i>"
    ),
    "help.staff.not_linked": "VMS 계정: 연결 안 됨",
    "help.staff.linked": "VMS 아이디: {vms_id}",
    "help.staff.consents": "동의: 1365 {consent_1365} · VMS {consent_vms}",
    "help.staff.agreed": "완료",
    "help.staff.not_agreed": "안 됨",
    "help.staff.account_gone": "계정 없음",
    "help.staff.counts": "미전송 {unsent}건 · 실패 {failed}건 ({when} 기준)",
    "help.staff.no_status": "실적: 조회한 적 없음",
    "help.answer.to_volunteer": "<b>센터 답변</b> (문의 #{id})\n\n{answer}",
    "help.answer.relayed": "봉사자에게 답을 전했어요.",
    "help.answer.by_other": "{name}님이 이 문의에 답했어요.",
    "help.answer.expired": (
        "14일 동안 답이 없어서 닫힌 문의예요. 봉사자에게는 닫혔다고 알렸고 질문 내용은 지웠어요."
    ),
    "help.answer.already": (
        "이미 답한 문의라서 이 답은 봉사자에게 가지 않았어요. 문의 하나에는 답을 한 번만 전할 수 있어요."
    ),
    "help.answer.undelivered": (
        "텔레그램과 연결이 잘 되지 않아 봉사자에게 답을 전하지 못했을 수 있어요. "
        "문의는 답을 기다리는 채로 남아요. 잠시 뒤에 다시 답장해 주세요."
    ),
    "help.answer.rejected": (
        "텔레그램이 이 답을 받지 않아서 봉사자에게 전하지 못했어요. 텔레그램의 설명: {reason}\n"
        "문의는 답을 기다리는 채로 남아요. 답을 고쳐서 다시 답장해 주세요."
    ),
    "help.answer.account_gone": (
        "봉사자의 텔레그램 계정이 없어졌거나 대화방을 찾을 수 없어서 답을 전하지 못했어요. "
        "봉사자가 다시 봇에 글을 쓰면 이 문의에 다시 답할 수 있어요."
    ),
    "help.answer.blocked": (
        "봉사자가 봇을 차단해서 답을 전하지 못했어요. 봉사자가 다시 봇에 글을 쓰면 "
        "이 문의에 다시 답할 수 있어요."
    ),
    "help.answer.gone": "이 문의는 더 이상 없어요. 봉사자가 봇에서 자기 정보를 모두 지웠을 수 있어요.",
    "help.answer.too_long": (
        "답이 너무 길어요. 봉사자에게 가는 메시지가 텔레그램 한 메시지 한도({limit}자)보다 "
        "{over}자 길어요. {over}자 이상 줄여서 다시 답장해 주세요. "
        "이모지 같은 글자는 텔레그램이 2자로 세요."
    ),
    "help.answer.text_only": "답은 글로 써 주세요.",
}
