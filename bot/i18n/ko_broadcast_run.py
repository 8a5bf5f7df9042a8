"""공지 전송(진행 상황, 최종 보고, 멈추기)의 한국어 문장. 키는 en_broadcast_run.py와 같아야 합니다."""

TEXTS: dict[str, str] = {
    "broadcast_run.progress": (
        "📣 <b>공지 #{id}</b> 보내는 중이에요\n"
        "보냄 {sent}명 · 실패 {failed}명 · 차단 {blocked}명 · 남음 {remaining}명\n"
        "{eta}"
    ),
    "broadcast_run.eta_seconds": "다 보내기까지 약 {n}초 남았어요.",
    "broadcast_run.eta_minutes": "다 보내기까지 약 {n}분 남았어요.",
    "broadcast_run.progress_done": (
        "📣 <b>공지 #{id}</b> 전송이 끝났어요\n"
        "보냄 {sent}명 · 실패 {failed}명 · 차단 {blocked}명 · 남음 {remaining}명"
    ),
    "broadcast_run.progress_stopped": (
        "📣 <b>공지 #{id}</b> 전송을 멈췄어요\n"
        "보냄 {sent}명 · 실패 {failed}명 · 차단 {blocked}명 · 남음 {remaining}명"
    ),
    "broadcast_run.report_done": "📣 공지 #{id} 전송을 마쳤어요.",
    "broadcast_run.report_cancelled": (
        "📣 공지 #{id} 전송을 멈췄어요. 아직 받지 못한 {queued}명에게는 보내지 않아요."
    ),
    "broadcast_run.report_aborted": (
        "📣 공지 #{id} 전송을 멈췄어요. 텔레그램이 이 메시지를 받아 주지 않았어요.\n"
        "텔레그램의 설명: {reason}\n메시지를 고쳐서 다시 보내 주세요."
    ),
    "broadcast_run.report_lines": (
        "받은 사람: {sent}명\n"
        "보내지 못한 사람: {failed}명\n"
        "봇을 차단한 사람: {blocked}명\n"
        "탈퇴했거나 대화방이 없는 계정: {gone}명"
    ),
    "broadcast_run.report_unknown": (
        "보내는 도중에 연결이 끊기거나 봇이 멈춰서 받았는지 알 수 없는 사람이 {n}명 있어요. "
        "두 번 받지 않도록 이분들께는 다시 보내지 않았어요. 아래 버튼으로 이분들께만 "
        "다시 보낼 수 있지만, 이미 받은 분은 같은 공지를 두 번 받게 돼요."
    ),
    "broadcast_run.resend.button": "확인 안 된 {n}명에게 다시 보내기",
    "broadcast_run.resend.confirm": (
        "📣 공지 #{id}: 받았는지 확인 안 된 {n}명에게 같은 공지를 다시 보낼까요?\n"
        "이 중 이미 받은 분은 같은 공지를 두 번 받게 돼요. 그사이 봇을 차단했거나 자기 정보를 "
        "지운 분, 정기 알림이라면 센터 알림을 끈 분에게는 보내지 않아요. 한 번만 다시 보낼 수 있어요."
    ),
    "broadcast_run.resend.go": "네, {n}명에게 다시 보낼게요",
    "broadcast_run.resend.no": "보내지 않을게요",
    "broadcast_run.resend.kept": "공지 #{id}: 다시 보내지 않았어요.",
    "broadcast_run.resend.launched": (
        "📣 공지 #{of}에서 확인 안 된 {n}명에게 다시 보내기 시작했어요. 새 공지 번호는 #{id}예요."
    ),
    "broadcast_run.resend.already": "이미 한 번 다시 보냈어요 (공지 #{id}). 다시 보내기는 한 번만 돼요.",
    "broadcast_run.resend.nobody": (
        "다시 보낼 사람이 없어요. 확인 안 된 분들이 그사이 봇을 차단했거나 자기 정보를 지웠을 수 있어요."
    ),
    "broadcast_run.resend.none": "아직 보내는 중이거나 없는 공지예요. 전송이 끝난 뒤에 다시 보낼 수 있어요.",
    "broadcast_run.cancelled": (
        "공지 #{id} 전송을 멈췄어요. {sent}명이 이미 받았고, 남은 {queued}명에게는 보내지 않아요."
    ),
    "broadcast_run.nothing_to_cancel": "지금 보내고 있는 공지가 없어요.",
    "broadcast_run.cancel_usage": "멈출 공지의 번호를 숫자로 적어 주세요. 예: /broadcast cancel 12",
}
