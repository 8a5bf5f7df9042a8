"""한국어 문구. 키는 en.py와 같아야 하고, 값 안의 {이름}은 자리표시자예요."""

TEXTS: dict[str, str] = {
    # 시작과 도움말
    "start.greeting": (
        "안녕하세요, {name}님! 저는 <b>연계도우미</b>예요.\n\n"
        "사회복지시설에서 한 봉사는 VMS(사회복지자원봉사인증관리)에 기록돼요. "
        "이 봉사시간이 1365 자원봉사포털과 학교 NEIS에 올라가려면 "
        "<b>두 사이트 모두에서 연계 동의</b>를 하고, VMS 실적을 1365로 보내야 해요.\n\n"
        "하나씩 함께 해 볼게요. 아래에서 골라 주세요."
    ),
    "start.returning": "{name}님, 안녕하세요! 지금 상황을 알려 드릴게요.\n\n{pair}\n{consents}",
    "start.returning.unavailable": (
        "{name}님, 안녕하세요!\n\n{pair}\n\n"
        "지금은 VMS 연계 서버에 연결할 수 없어서 동의 상태를 확인하지 못했어요. "
        "잠시 뒤에 '연계 현황 보기'를 눌러 주세요."
    ),
    "start.deeplink_unknown": "링크에 담긴 안내를 찾지 못해서 처음 화면을 보여 드려요.",
    "help.body": (
        "<b>이렇게 쓰시면 돼요</b>\n"
        "/start — 처음 화면\n"
        "/help — 이 도움말\n"
        "/howto — 두 사이트 연계 동의를 단계별로 안내\n"
        "{vms_lines}"
        "/settings — 언어와 알림 설정\n"
        "/lang — 언어 바꾸기 (한국어/English)\n"
        "/privacy — 개인정보 안내 (/unlink 연결 끊기, /forget 모두 지우기)\n"
        "/cancel — 하던 일 그만두기\n\n"
        "봉사시간이 제대로 넘어가려면 <b>1365에서 먼저</b> 동의하고, 그다음에 VMS에서 동의해야 해요. "
        "VMS 전송은 1시간에 한 번만 할 수 있고, 전송에 성공한 실적은 만 24시간 뒤에 "
        "1365에서 볼 수 있어요.\n\n"
        "'전송이 안 돼요'처럼 궁금한 것을 짧게 써서 보내셔도 돼요.\n\n"
        "⚠️ 주민등록번호는 절대 보내지 마세요. 이 봇은 주민등록번호가 필요 없어요.\n\n"
        "{contact}"
    ),
    "help.vms_lines": (
        "/link — VMS 계정 연결\n"
        "/status — 동의 상태, 실적, 전송 결과 보기\n"
        "/send — VMS 실적을 1365로 보내기\n"
    ),
    # 가이드 모드: 이 봇은 VMS와 연결되어 있지 않아요.
    "help.vms_lines.guide_mode": (
        "/link — 이 봇이 VMS와 연결되어 있지 않다는 안내와, 사이트에서 직접 하는 방법\n"
        "/status — VMS에서 실적과 전송 결과를 직접 확인하는 방법\n"
        "/send — VMS에서 직접 실적을 보내는 방법과 '📤 VMS에서 보냈어요'\n"
    ),
    # 담당자에게만 보여요.
    "help.staff_lines": (
        "\n\n<b>센터 담당자 명령</b>\n"
        "/broadcast — 봉사자에게 공지 보내기\n"
        "/remind — 정기 알림 관리\n"
        "/stats — 통계 보기\n"
        "/staff — 담당자 목록, 초대와 초대 취소, 기록\n"
        "봉사자의 문의에는 담당자에게 온 문의 메시지에 답장하면 돼요."
    ),
    # 센터 연락처 (CENTER_CONTACT 설정)
    "contact.set": "☎️ <b>센터 연락처</b>\n{contact}",
    "contact.unset": (
        "☎️ 더 궁금한 점은 소속 자원봉사센터나 봉사하신 기관에 문의해 주세요. "
        "연락처는 센터 안내문이나 누리집에서 찾을 수 있어요."
    ),
    # 버튼
    "button.howto": "📋 연계 방법 안내",
    "button.link": "🔗 VMS 계정 연결",
    "button.help": "❓ 도움말",
    "button.settings": "⚙️ 설정",
    "button.language": "🌐 언어 / Language",
    "button.send": "📤 1365로 실적 보내기",
    "button.open_1365": "🌐 1365 자원봉사포털 열기",
    "button.open_vms": "🌐 VMS 사이트 열기",
    "button.center": "☎️ 센터에 문의",
    "button.questions": "💬 자주 묻는 질문",
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
        "<b>설정</b>\n언어: {language}\n센터 알림: {reminders}\n새 실적 알림: {nudges}\n\n"
        "바꿀 항목을 골라 주세요."
    ),
    "settings.reminders.on": "켜짐",
    "settings.reminders.off": "꺼짐",
    "settings.button.reminders_on": "🔔 센터 알림 받기",
    "settings.button.reminders_off": "🔕 센터 알림 끄기",
    "settings.reminders_now_on": "센터 알림을 켰어요. 센터에서 보내는 안내를 받을 수 있어요.",
    "settings.reminders_now_off": "센터 알림을 껐어요. 이제 센터에서 보내는 안내는 오지 않아요.",
    "settings.button.nudges_on": "🆕 새 실적 알림 받기",
    "settings.button.nudges_off": "🆕 새 실적 알림 끄기",
    "settings.nudges_now_on": "새 실적 알림을 켰어요. VMS에 새 실적이 들어오면 하루에 한 번 알려 드려요.",
    "settings.nudges_now_off": "새 실적 알림을 껐어요.",
    "settings.closed": "설정을 닫았어요.",
    # 취소와 모르는 입력
    "cancel.done": "진행하던 일을 그만뒀어요. 다른 일을 하시려면 /start 를 눌러 주세요.",
    "flow.expired": "시작한 지 오래돼서 닫았어요. 다시 하시려면 /start 를 눌러 주세요.",
    "cancel.nothing": "지금 진행 중인 일이 없어요. 메뉴를 보시려면 /start 를 눌러 주세요.",
    "fallback.unknown_command": (
        "{command:은} 제가 모르는 명령이에요. 쓸 수 있는 명령은 /help 에서 볼 수 있어요."
    ),
    "fallback.text": "지금은 위 메시지의 버튼으로 이어서 해 주세요. 그만두려면 /cancel 을 눌러 주세요.",
    "fallback.settings_text": "설정은 위 메시지의 버튼으로 바꿀 수 있어요. 그만두려면 /cancel 을 눌러 주세요.",
    "callback.stale": "이 버튼은 더 이상 쓸 수 없어요. /start 를 눌러 새 메뉴를 열어 주세요.",
    # 단체방
    "group.private_only": (
        "봉사시간 연계에는 개인 정보가 필요해서 1:1 대화에서만 도와드려요. "
        "아래 버튼을 눌러 저와 1:1 대화를 시작해 주세요."
    ),
    # 개인정보 보호
    "privacy.rrn_blocked": (
        "⚠️ 주민등록번호로 보이는 내용이 있어 메시지를 지웠어요. 어디에도 저장하지 않았어요.\n"
        "이 봇은 주민등록번호가 전혀 필요 없어요. 앞으로도 보내지 마세요."
    ),
    "privacy.rrn_blocked_not_deleted": (
        "⚠️ 주민등록번호로 보이는 내용이 있어요. 저장하지는 않았지만 메시지를 지우지 못했어요. "
        "직접 지워 주세요. 이 봇은 주민등록번호가 전혀 필요 없어요."
    ),
    # 오류
    "privacy.password_blocked": (
        "⚠️ 비밀번호가 담겼을 수 있는 메시지라서 지웠어요. 어디에도 저장하지 않았어요.\n"
        "이 봇은 비밀번호가 전혀 필요 없어요. 계정을 연결할 때도 VMS 아이디만 보내 주시면 돼요."
    ),
    "privacy.password_blocked_not_deleted": (
        "⚠️ 비밀번호가 담겼을 수 있는 메시지예요. 저장하지는 않았지만 메시지를 지우지 못했어요. "
        "직접 지워 주세요. 이 봇은 비밀번호가 전혀 필요 없어요."
    ),
    "error.generic": "죄송해요, 처리하다가 문제가 생겼어요. 잠시 뒤에 다시 해 주세요.",
    # 명령 메뉴 (Telegram 명령 설명, 256자 이내)
    "command.start": "처음 화면",
    "command.help": "사용 방법 안내",
    "command.howto": "연계 동의 방법 단계별 안내",
    "command.settings": "언어와 알림 설정",
    "command.lang": "언어 바꾸기 (한국어/English)",
    "command.cancel": "하던 일 그만두기",
}
