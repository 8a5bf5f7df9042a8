"""한국어: 계정 연결(/link), 연결 끊기(/unlink), 모두 지우기(/forget), 개인정보 안내(/privacy)."""

TEXTS: dict[str, str] = {
    # /link
    "link.ask_id": (
        "VMS 계정을 연결할게요.\n"
        "VMS(vms.or.kr)에 로그인할 때 쓰는 <b>아이디</b>를 보내 주세요. 비밀번호는 보내지 마세요.\n"
        "그만두려면 /cancel 을 눌러 주세요."
    ),
    "link.ask_new_id": ("VMS 아이디를 다시 보내 주세요. 그만두려면 /cancel 을 눌러 주세요."),
    "link.already": (
        "이미 연결되어 있어요.\n{pair}\n\n"
        "다른 VMS 계정으로 바꾸려면 그 계정의 아이디를 보내 주세요. "
        "지금 연결을 그대로 두려면 /cancel 을 눌러 주세요."
    ),
    "link.bad_id": (
        "VMS 아이디는 영문, 숫자, 점(.), 밑줄(_), 하이픈(-)으로 된 4~30자예요. "
        "아이디를 다시 보내 주세요. 그만두려면 /cancel 을 눌러 주세요."
    ),
    "link.several_ids": (
        "아이디로 보이는 말이 여러 개라서 어느 것인지 모르겠어요. "
        "VMS 아이디 하나만 다시 보내 주세요. 그만두려면 /cancel 을 눌러 주세요."
    ),
    # 아이디가 있는지는 말하지 않아요: 없는 아이디에도 같은 답이라, 보냈다고 약속하지 않아요.
    "link.code_sent.sms": (
        "이 아이디가 VMS에 가입된 아이디라면, 등록된 휴대폰({destination})으로 6자리 인증번호가 가요.\n"
        "인증번호를 받으면 {minutes}분 안에 보내 주세요.\n\n"
        "인증번호가 오지 않으면 아래 '인증번호가 안 와요'를 눌러 주세요."
    ),
    "link.code_sent.email": (
        "이 아이디가 VMS에 가입된 아이디라면, 등록된 이메일({destination})로 6자리 인증번호가 가요.\n"
        "인증번호를 받으면 {minutes}분 안에 보내 주세요.\n\n"
        "인증번호가 오지 않으면 아래 '인증번호가 안 와요'를 눌러 주세요."
    ),
    "link.code_resent": (
        "인증번호를 새로 요청했어요. 먼저 받은 번호는 이제 쓸 수 없으니 가장 나중에 받은 번호를 보내 주세요."
    ),
    # 코드 단계에서 같은 아이디를 또 보냈을 때: 새 번호를 받지 않고 먼저 요청한 번호를 그대로 써요.
    "link.code_asked_before": (
        "이 아이디로는 인증번호를 이미 요청했어요. 새로 받으려면 아래 '인증번호 다시 받기'를 눌러 주세요."
    ),
    # 연결을 마친 뒤 인증번호가 또 왔을 때(두 번 보냈거나, 끝난 연결이 한 번 더 처리됐을 때).
    "link.code_after_linked": (
        "이미 연결되어 있어요.\n{pair}\n\n다른 VMS 계정으로 바꾸려면 /link 를 눌러 주세요."
    ),
    "link.button.no_code": "📭 인증번호가 안 와요",
    "link.no_code": (
        "📭 <b>인증번호가 오지 않을 때</b>\n"
        "1. 위에 보내 주신 아이디가 VMS에 로그인할 때 쓰는 아이디와 똑같은지 확인해 주세요. "
        "VMS에 가입된 아이디가 아니면 인증번호가 가지 않아요. 이 봇은 어떤 아이디가 있는지 알려 드리지 않아요.\n"
        "2. 아이디가 틀렸다면 '✏️ 아이디 바꾸기'를 눌러 다시 보내 주세요.\n"
        "3. 아이디가 기억나지 않으면 아래 'VMS 사이트 열기'를 눌러 VMS 사이트에서 확인해 주세요.\n"
        "4. 아이디가 맞다면 문자나 메일이 늦을 수 있어요. 조금 기다렸다가 '🔁 인증번호 다시 받기'를 눌러 주세요."
    ),
    "link.forgot_id.continue_id": "아이디를 확인했으면 여기로 보내 주세요. 그만두려면 /cancel 을 눌러 주세요.",
    "link.button.change_id": "✏️ 아이디 바꾸기",
    "link.button.new_code": "🔁 인증번호 다시 받기",
    "link.bad_code": "인증번호는 숫자 6자리예요. 받은 인증번호를 다시 보내 주세요.",
    "link.wrong_code": "인증번호가 맞지 않아요. {attempts}번 더 해 볼 수 있어요.",
    "link.expired": (
        "인증번호를 쓸 수 있는 시간이 지났어요. 아래 '인증번호 다시 받기'를 누르면 새 인증번호를 보내 드려요."
    ),
    "link.locked": (
        "인증번호를 여러 번 틀려서 이 인증번호는 더 쓸 수 없어요. "
        "아래 '인증번호 다시 받기'를 눌러 새 인증번호를 받아 주세요."
    ),
    # The cause may be this account's requests, the member's, wrong codes or the center's
    # hourly cap: the text names none of them, only when to try again.
    "link.too_many": (
        "지금은 인증번호를 더 보낼 수 없어요. {wait} 뒤에 다시 해 주세요. "
        "이미 받은 인증번호가 있다면 그대로 보내셔도 돼요."
    ),
    # The bot-wide hourly cap: many people (or one prankster with many accounts) asked; not
    # this volunteer's doing, so the text does not say they asked too often.
    "link.busy": (
        "지금 인증번호를 받으려는 분이 많아서 잠시 보내 드릴 수 없어요. {wait} 뒤에 다시 해 주세요. "
        "이미 받은 인증번호가 있다면 그대로 보내셔도 돼요."
    ),
    "link.guesses_used": (
        "인증번호를 여러 번 틀려서 지금은 더 확인할 수 없어요. {wait} 뒤에 다시 해 주세요.\n"
        "다른 아이디를 연결하려면 /link 를 눌러 주세요."
    ),
    "link.unavailable": (
        "지금은 VMS 연계 서버에 연결할 수 없어요. 저장된 것은 없어요.\n"
        "잠시 뒤에 다시 보내 주세요. 그만두려면 /cancel 을 눌러 주세요."
    ),
    "link.done": "연결했어요! 🎉\n{pair}\n\n{consents}",
    "link.taken_over": (
        "다른 텔레그램 계정에서 VMS 아이디 {vms_id} 계정을 연결해서, 이 대화와의 연결은 끊어졌어요.\n"
        "본인이 한 일이 아니라면 VMS 비밀번호를 바꾸고 센터에 알려 주세요."
    ),
    "link.text_only": "아이디와 인증번호는 글자로 입력해서 보내 주세요.",
    "link.pair": "VMS 아이디 <code>{vms_id}</code> ↔ 1365 아이디 <code>{id_1365}</code>",
    "link.no_1365_id": "(없음)",
    "link.consent.next": (
        "두 사이트 모두 동의해야 실적이 1365로 넘어가요. 1365에서 먼저 동의해 주세요."
    ),
    "link.consent.next_vms": "1365 정보제공 동의는 됐어요. 이제 VMS에서 연계 동의를 해 주세요.",
    "link.account_missing": (
        "⚠️ 1365 계정을 찾을 수 없어요. 1년 넘게 쓰지 않아서 휴면 계정으로 지워졌을 수 있어요. "
        "1365에 다시 가입한 뒤 1365 정보제공 동의를 해 주세요."
    ),
    # A state the gateway added after this bot was written (contract v1.1: read as "other").
    "link.account_other": (
        "⚠️ 1365 계정 상태를 여기서는 알 수 없어요. 1365에 로그인해서 계정과 동의 상태를 확인해 주세요."
    ),
    "record.reason.other": "1365로 넘어가지 못했어요. 포털에서 알려 준 이유: {message}",
    "link.date": "{year}년 {month}월 {day}일",
    "link.cancelled": "계정 연결을 그만뒀어요. 저장된 것은 없어요.",
    "link.cancelled_kept": "계정 바꾸기를 그만뒀어요. 지금 연결은 그대로예요.\n{pair}",
    "link.stale": "계정 연결을 시작한 지 오래돼서 그만뒀어요. 다시 하시려면 /link 를 눌러 주세요.",
    # /unlink
    "unlink.confirm": "이 연결을 끊을까요?\n{pair}\n\n끊어도 VMS와 1365에 있는 봉사 실적은 그대로예요.",
    "unlink.button.yes": "연결 끊기",
    "unlink.button.no": "그대로 두기",
    "unlink.done": "연결을 끊었어요. 다시 연결하려면 아래 버튼을 눌러 주세요.",
    "unlink.kept": "연결을 그대로 뒀어요.",
    "unlink.none": "연결된 VMS 계정이 없어요. 연결하려면 아래 버튼을 눌러 주세요.",
    "unlink.stale": (
        "이 확인은 예전 연결에 대한 것이라 아무것도 바꾸지 않았어요. "
        "지금 연결을 끊으려면 /unlink 를 눌러 주세요."
    ),
    "unlink.unavailable": (
        "지금은 VMS 연계 서버에 연결할 수 없어서 연결을 끊지 못했어요. 잠시 뒤에 다시 해 주세요."
    ),
    # /forget
    "unlink.send_unsettled": (
        "조금 전 1365 전송이 접수됐는지 아직 확인하고 있어서 연결을 끊지 않았어요. "
        "지금 끊으면 그 결과를 알 수 없게 돼요. 결과를 알려 드린 뒤에 /unlink 를 다시 눌러 주세요."
    ),
    "forget.confirm": (
        "이 봇에 저장된 회원님의 정보를 <b>모두</b> 지울까요?\n"
        "언어·알림 설정, VMS 계정 연결, 안내 진행 상황, 대화 상태가 모두 지워지고 "
        "VMS 쪽 연결도 해지돼요. 지운 뒤에는 되돌릴 수 없어요.\n"
        "(VMS와 1365에 있는 봉사 실적은 지워지지 않아요.)\n"
        "남용을 막기 위한 횟수 기록(인증번호 요청, 틀린 인증번호, 센터 문의)은 "
        "사용자 번호 없이 하루 동안 남았다가 지워져요."
    ),
    "forget.button.yes": "네, 모두 지워 주세요",
    "forget.button.no": "아니요",
    "forget.done": (
        "모두 지웠어요. 이 대화방의 메시지는 텔레그램에서 직접 지울 수 있어요. "
        "다시 쓰시려면 언제든 /start 를 눌러 주세요."
    ),
    "forget.done_in_flight": (
        "모두 지웠어요. 다만 조금 전 보낸 실적은 이미 전송 중이라 1365에 올라갈 수 있어요. "
        "그 결과는 알려 드릴 수 없으니 VMS '마이페이지' → '1365연계 결과조회'에서 확인해 주세요.\n"
        "이 대화방의 메시지는 텔레그램에서 직접 지울 수 있어요. 다시 쓰시려면 언제든 /start 를 눌러 주세요."
    ),
    "forget.stale": (
        "이 확인 버튼은 시간이 지나서 아무것도 지우지 않았어요. "
        "모두 지우려면 /forget 을 다시 눌러 주세요."
    ),
    "forget.kept": "아무것도 지우지 않았어요.",
    # /privacy
    "privacy.body": (
        "<b>개인정보 안내</b>\n\n"
        "<b>저장하는 정보</b>\n"
        "• 텔레그램 사용자 번호, 언어, 알림 설정, 처음·마지막 이용 시각\n"
        "• 연결한 VMS 아이디와 일부를 가린 1365 아이디, 연결한 시각\n"
        "• 안내 진행 상황과 대화 상태\n"
        "• 센터에 남긴 질문: 담당자의 답이 전해지면 바로, 답이 없으면 14일 뒤에 내용을 지워요\n\n"
        "<b>이용 목적</b>: 회원님의 연계 상태를 보여 드리고, 실적을 대신 전송하고, "
        "그 결과를 알려 드리기 위해서예요.\n\n"
        "<b>저장하지 않는 정보</b>: 주민등록번호, 비밀번호, 전화번호, 이메일 주소. "
        "주민등록번호가 담긴 메시지는 바로 지워요.\n\n"
        "<b>보관 기간</b>: 회원님이 지울 때까지 보관해요. 연결을 끊으면(/unlink) 연결 정보가 지워지고, "
        "/forget 을 누르면 이 봇에 저장된 모든 정보가 지워지고 VMS 쪽 연결도 해지돼요.\n"
        "다만 남용을 막으려고 인증번호 요청, 틀린 인증번호, 센터 문의를 한 시각은 하루 동안 남겨요. "
        "이 기록에는 텔레그램 사용자 번호도 VMS 아이디도 없고, 하루가 지나면 /forget 과 상관없이 지워져요.\n\n"
        "봉사 실적 자체는 VMS와 1365에 있고, 각 사이트에서 관리해요."
    ),
    "command.link": "VMS 계정 연결",
    "command.unlink": "VMS 계정 연결 끊기",
    "command.forget": "내 정보 모두 지우기",
    "command.privacy": "개인정보 안내",
}
