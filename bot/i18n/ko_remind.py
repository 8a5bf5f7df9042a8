"""예약 알림(/remind) 문장. 키는 en_remind.py와 같아야 합니다."""

TEXTS: dict[str, str] = {
    "remind.list": "<b>예약 알림</b>\n\n{lines}",
    "remind.list.empty": "아직 예약 알림이 없어요.",
    "remind.line": ("<b>#{id}</b> · {schedule} · {state}\n“{text}”\n{segment}{language}\n{next}"),
    "remind.line.language": " · {language}",
    "remind.next": "다음 알림: {when}",
    "remind.next.none": "다음 알림 없음",
    "remind.state.active": "켜짐",
    "remind.state.paused": "멈춤",
    "remind.state.done": "끝남",
    "remind.state.skipped": "건너뜀 (보내지 않음)",
    "remind.skipped": "⏭ {when}에 보낼 차례였지만 봇이 하루 넘게 꺼져 있어서 보내지 않고 건너뛰었어요.",
    "remind.skipped.empty": "⏭ {when}에 보낼 차례였지만 대상에 해당하는 봉사자가 없어서 보내지 않고 건너뛰었어요.",
    "remind.skipped.tell": (
        "⏭ <b>알림 #{id} 건너뜀</b>\n"
        "{when}에 보낼 차례였지만 봇이 하루 넘게 꺼져 있어서 보내지 않았어요. "
        "하루 넘게 늦은 알림은 엉뚱한 때에 가지 않도록 건너뛰어요.\n{next}"
    ),
    "remind.schedule.monthly": "매달 {day}일 {time}",
    "remind.schedule.monthly_short": "매달 {day}일 {time} (그날이 없는 달은 마지막 날)",
    "remind.schedule.weekly": "매주 {weekday} {time}",
    "remind.schedule.once": "{date} {time}에 한 번",
    "remind.weekday.0": "월요일",
    "remind.weekday.1": "화요일",
    "remind.weekday.2": "수요일",
    "remind.weekday.3": "목요일",
    "remind.weekday.4": "금요일",
    "remind.weekday.5": "토요일",
    "remind.weekday.6": "일요일",
    "remind.offer_default": (
        "\n\n센터 기본 알림을 만들 수 있어요. 매달 25일 오전 10시에, 실적을 전송하지 않았거나"
        " 전송에 실패한 봉사자에게 아래 글을 보내요.\n<blockquote>{text}</blockquote>"
    ),
    "remind.default.text": (
        "이번 달 봉사실적을 1365로 전송하셨나요? 아직이면 /send 로 바로 보낼 수 있어요."
    ),
    "remind.button.default": "⭐ 기본 알림 만들기",
    "remind.button.new": "➕ 새 알림 만들기",
    "remind.button.pause": "⏸ #{id} 멈추기",
    "remind.button.resume": "▶️ #{id} 다시 켜기",
    "remind.button.delete": "🗑 #{id} 지우기",
    "remind.button.delete_yes": "네, 지워 주세요",
    "remind.button.monthly": "매달",
    "remind.button.weekly": "매주",
    "remind.button.once": "한 번만",
    "remind.button.create": "만들기 · 지금 기준 {count}명",
    "remind.delete_confirm": "알림 #{id:을} 지울까요? 이미 보낸 알림은 그대로 남아요.",
    "remind.paused": "알림을 멈췄어요.",
    "remind.resumed": "알림을 다시 켰어요.",
    "remind.deleted": "알림을 지웠어요.",
    "remind.gone": "이미 바뀐 알림이에요. 목록을 새로 보여 드릴게요.",
    "remind.ask_repeat": "<b>새 알림</b>\n언제 보낼까요?",
    "remind.ask_monthly": (
        "매달 며칠 몇 시에 보낼까요? <code>25 10:00</code>처럼 날짜(1~31)와 시각을 써"
        " 주세요. 시각은 24시간제, 한국 시간이에요."
    ),
    "remind.ask_weekday": "무슨 요일에 보낼까요?",
    "remind.ask_time": "{weekday} 몇 시에 보낼까요? <code>10:00</code>처럼 24시간제로 써 주세요. 시각은 한국 시간이에요.",
    "remind.ask_once": (
        "언제 보낼까요? <code>2026-12-25 10:00</code>처럼 날짜와 시각을 써 주세요. 시각은 한국 시간이에요."
    ),
    "remind.bad_monthly": "<code>25 10:00</code>처럼 날짜(1~31)와 시각(00:00~23:59)을 써 주세요.",
    "remind.bad_time": "<code>10:00</code>처럼 시각(00:00~23:59)을 써 주세요.",
    "remind.bad_once": "<code>2026-12-25 10:00</code>처럼 날짜와 시각을 써 주세요.",
    "remind.past": "이미 지난 때예요. 앞으로의 날짜와 시각을 써 주세요.",
    "remind.ask_audience": (
        "<b>{schedule}</b>\n누구에게 보낼까요? 알림이라 센터 알림을 끈 봉사자는 빠져요."
        " 숫자는 지금 받을 사람 수예요.\n\n{lines}\n\n언어: {language}"
    ),
    "remind.ask_text": "<b>{schedule}</b> · {segment} · {language}\n\n보낼 글을 써 주세요.\n\n{howto}",
    "remind.confirm": (
        "<b>{schedule}</b>\n{segment} · {language}\n"
        "지금 기준 받을 사람: <b>{recipients}명</b>{notes}\n"
        "첫 알림: {first}\n{texts}\n\n이대로 만들까요?"
    ),
    "remind.created": "알림 #{id:을} 만들었어요. 첫 알림은 {first}에 나가요.",
    "remind.closed": "예약 알림을 닫았어요.",
    "remind.cancelled": "알림을 만들지 않았어요.",
    "remind.expired": "알림을 만들기 시작한 지 오래돼서 닫았어요. /remind 로 다시 시작해 주세요.",
}
