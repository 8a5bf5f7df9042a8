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
        "두 번 받지 않도록 이분들께는 다시 보내지 않았어요."
    ),
    "broadcast_run.cancelled": (
        "공지 #{id} 전송을 멈췄어요. {sent}명이 이미 받았고, 남은 {queued}명에게는 보내지 않아요."
    ),
    "broadcast_run.nothing_to_cancel": "지금 보내고 있는 공지가 없어요.",
    "broadcast_run.cancel_usage": "멈출 공지의 번호를 숫자로 적어 주세요. 예: /broadcast cancel 12",
}
