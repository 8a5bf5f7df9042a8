"""한국어 문구. 키는 en.py와 같아야 하며, 값 안의 {이름}은 자리표시자입니다."""

TEXTS: dict[str, str] = {
    # 시작과 도움말
    "start.greeting": (
        "안녕하세요, {name}님! <b>연계도우미</b>입니다.\n\n"
        "사회복지시설에서 한 봉사는 VMS(사회복지자원봉사인증관리)에 기록됩니다. "
        "이 시간이 1365 자원봉사포털(학교 NEIS 포함)에 올라가려면 "
        "<b>두 사이트 모두에서 연계 동의</b>를 하고, VMS에서 실적을 전송해야 해요.\n\n"
        "제가 단계별로 도와드릴게요. 아래에서 골라 주세요."
    ),
    "start.deeplink_unknown": "링크에 담긴 안내를 찾지 못해 처음 화면을 보여 드려요.",
    "help.body": (
        "<b>이렇게 쓰시면 돼요</b>\n"
        "/start — 처음 화면\n"
        "/help — 이 도움말\n"
        "/howto — 두 사이트 연계 동의 단계별 안내\n"
        "/link — VMS 계정 연결\n"
        "/status — 동의 상태, 실적, 전송 결과 보기\n"
        "/send — VMS 실적을 1365로 보내기\n"
        "/settings — 언어와 알림 설정\n"
        "/lang — 언어 바꾸기 (한국어/English)\n"
        "/privacy — 개인정보 안내 (/unlink 연결 끊기, /forget 모두 지우기)\n"
        "/cancel — 진행 중인 일을 그만두기\n\n"
        "봉사시간은 <b>1365에서 먼저</b> 동의하고, 그다음 VMS에서 동의해야 제대로 전송돼요. "
        "VMS 전송은 1시간에 한 번만 할 수 있고, 전송에 성공한 실적은 만 24시간 뒤 "
        "1365에서 확인할 수 있어요.\n\n"
        "⚠️ 주민등록번호는 절대 보내지 마세요. 이 봇은 주민등록번호가 필요 없어요."
    ),
    # 버튼
    "button.howto": "📋 연계 방법 안내",
    "button.link": "🔗 VMS 계정 연결",
    "button.help": "❓ 도움말",
    "button.settings": "⚙️ 설정",
    "button.language": "🌐 언어 / Language",
    "button.open_private": "1:1 대화 열기",
    "button.back": "◀ 뒤로",
    "button.close": "닫기",
    # 언어
    "lang.prompt": "사용할 언어를 골라 주세요.",
    "lang.set": "이제 한국어로 안내해 드릴게요.",
    "lang.name.ko": "한국어",
    "lang.name.en": "English",
    # 설정
    "settings.menu": (
        "<b>설정</b>\n언어: {language}\n알림: {reminders}\n새 실적 알림: {nudges}\n\n"
        "바꿀 항목을 골라 주세요."
    ),
    "settings.reminders.on": "켜짐",
    "settings.reminders.off": "꺼짐",
    "settings.button.reminders_on": "🔔 알림 받기",
    "settings.button.reminders_off": "🔕 알림 끄기",
    "settings.reminders_now_on": "알림을 켰어요. 센터에서 보내는 안내를 받아요.",
    "settings.reminders_now_off": "알림을 껐어요. 센터에서 보내는 안내를 받지 않아요.",
    "settings.button.nudges_on": "🆕 새 실적 알림 받기",
    "settings.button.nudges_off": "🆕 새 실적 알림 끄기",
    "settings.nudges_now_on": "새 실적 알림을 켰어요. VMS에 새 실적이 들어오면 하루에 한 번 알려 드려요.",
    "settings.nudges_now_off": "새 실적 알림을 껐어요.",
    "settings.closed": "설정을 닫았어요.",
    # 취소와 모르는 입력
    "cancel.done": "진행하던 일을 그만뒀어요. 처음부터 하시려면 /start 를 눌러 주세요.",
    "flow.expired": "하던 일을 시작한 지 오래되어 닫아 두었어요. 필요하면 /start 에서 다시 시작해 주세요.",
    "cancel.nothing": "지금 진행 중인 일이 없어요. 메뉴는 /start 로 볼 수 있어요.",
    "fallback.unknown_command": "모르는 명령이에요: {command}\n/help 에서 쓸 수 있는 명령을 볼 수 있어요.",
    "fallback.text": "제가 알아듣지 못했어요. 아래 버튼이나 /help 를 이용해 주세요.",
    "fallback.settings_text": "설정은 위 메시지의 버튼으로 바꿀 수 있어요. 그만두려면 /cancel 을 눌러 주세요.",
    "callback.stale": "이 버튼은 더 이상 쓸 수 없어요. /start 로 새 메뉴를 열어 주세요.",
    # 단체방
    "group.private_only": (
        "봉사시간 연계는 개인 정보가 필요해서 1:1 대화에서만 도와드려요. "
        "아래 버튼을 눌러 저와 1:1 대화를 시작해 주세요."
    ),
    # 개인정보 보호
    "privacy.rrn_blocked": (
        "⚠️ 주민등록번호로 보이는 내용이 있어 메시지를 지웠어요. 저장하지도 않았어요.\n"
        "이 봇은 주민등록번호가 전혀 필요 없어요. 앞으로도 보내지 마세요."
    ),
    "privacy.rrn_blocked_not_deleted": (
        "⚠️ 주민등록번호로 보이는 내용이 있어요. 저장하지 않았지만 메시지를 지우지 못했어요. "
        "직접 지워 주세요. 이 봇은 주민등록번호가 전혀 필요 없어요."
    ),
    # 오류
    "error.generic": "죄송해요, 처리하다가 문제가 생겼어요. 잠시 뒤 다시 해 주세요.",
    # 명령 메뉴 (Telegram 명령 설명, 256자 이내)
    "command.start": "처음 화면",
    "command.help": "사용 방법 안내",
    "command.howto": "연계 동의 방법 단계별 안내",
    "command.settings": "언어와 알림 설정",
    "command.lang": "언어 바꾸기 (한국어/English)",
    "command.cancel": "진행 중인 일 그만두기",
}
