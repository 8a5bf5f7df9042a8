"""Texts of the terminal demo (the operator-facing sandbox), Korean first."""

TEXTS: dict[str, dict[str, str]] = {
    "ko": {
        "banner": (
            "━━ 연계도우미 콘솔 데모 ━━\n"
            "진짜 Telegram 대신 이 컴퓨터 안의 모의 Bot API 서버와 이야기합니다. 데이터는 모두 가상입니다.\n"
            "메시지나 /명령을 입력하세요. 버튼은 번호로 누릅니다. 도움말은 :help, 끝내기는 :quit 또는 Ctrl-C."
        ),
        "help": (
            "  글자 또는 /명령   지금 사용자로 봇에게 보내기\n"
            "  숫자(1~2자리)     마지막 메시지의 그 번호 버튼 누르기\n"
            "  :user ID [이름]   다른 사용자로 바꾸기 (예: :user 1002 지훈)\n"
            "  :staff            센터 직원(관리자) 사용자로 바꾸기\n"
            "  :client ko|en     Telegram 앱 언어 바꾸기\n"
            "  :group            단체방에서 보내기 / 다시 1:1로\n"
            "  :block / :unblock 봇 차단 / 차단 해제\n"
            "  ── 모의 VMS 게이트웨이 ──\n"
            "  :members                         데모 VMS 아이디 목록\n"
            "  :consent 아이디 1365|vms on|off  그 사이트에서 연계 동의하기/철회하기\n"
            "  :volunteer 아이디 시간           오늘 봉사 실적 추가 (예: :volunteer kindly0904 2)\n"
            "  :clock 시간                      시계를 앞으로 돌리기 (예: :clock 25)\n"
            "  :quit             끝내기"
        ),
        "prompt": "[{who}] > ",
        "photo": "[사진: {width}×{height}, {kb} KB]",
        "switched": "이제 {who} 사용자로 보냅니다.",
        "no_button": "{number}번 버튼이 없어요.",
        "url_button": "링크 버튼입니다: {url}",
        "blocked": "{who} 사용자가 봇을 차단했습니다.",
        "unblocked": "{who} 사용자가 차단을 풀었습니다.",
        "group_on": "이제 단체방 '{title}'에서 보냅니다.",
        "group_off": "다시 1:1 대화로 보냅니다.",
        "edited": "(수정됨)",
        "deleted": "🗑 메시지 {message_id}번이 지워졌습니다.",
        "rejected": "⚠️ 모의 서버가 봇의 요청을 거절했습니다: {method} → {description}",
        "bad_usage": "사용법: {usage}",
        "stopping": "끝내는 중…",
        "stopped": "데모를 마쳤습니다. 데이터는 {path} 에 남아 있습니다.",
        "timeout": "봇이 아직 답하지 않았어요. 조금 뒤에 결과가 나타날 수 있어요.",
        "code_delivered": "📱 (모의 발송) {vms_id} 회원에게 인증번호 {code} 보냄 (받는 곳: {destination})",
        "members": "데모 VMS 아이디: {members}  (자세한 상황은 README 참고)",
        "consent_set": "{vms_id}: {site} 연계 동의 {state}",
        "volunteered": "{vms_id}: 오늘 {hours}시간 봉사 실적을 VMS에 추가했습니다.",
        "clock_moved": "시계를 {hours}시간 앞으로 돌렸습니다. 지금: {now}",
        "due_ran": "때가 된 예약 작업: 완료 {done}건, 다시 시도 {retried}건, 포기 {given_up}건",
        "demo_host": "행복나눔 종합사회복지관",
        "demo_activity": "급식 배식 보조",
        "first_user": "민지",
        "staff_name": "센터직원",
        "user_n": "사용자{id}",
        "user_usage": ":user 1002 [이름]",
        "group_title": "OO고 봉사동아리",
    },
    "en": {
        "banner": (
            "━━ 연계도우미 console demo ━━\n"
            "You are talking to a sandbox Bot API server on this machine, not to Telegram. All data are simulated.\n"
            "Type messages or /commands. Press buttons by number. :help for help, :quit or Ctrl-C to stop."
        ),
        "help": (
            "  text or /command   send it to the bot as the current user\n"
            "  1- or 2-digit number  press that button of the latest message\n"
            "  :user ID [name]    switch to another user (e.g. :user 1002 Jihun)\n"
            "  :staff             switch to the center staff (admin) user\n"
            "  :client ko|en      change the Telegram app language\n"
            "  :group             send in a group chat / back to private\n"
            "  :block / :unblock  block / unblock the bot\n"
            "  ── sandbox VMS gateway ──\n"
            "  :members                       demo VMS IDs\n"
            "  :consent ID 1365|vms on|off    give or withdraw consent on that site\n"
            "  :volunteer ID HOURS            add a record for today (e.g. :volunteer kindly0904 2)\n"
            "  :clock HOURS                   move the clock forward (e.g. :clock 25)\n"
            "  :quit              stop"
        ),
        "prompt": "[{who}] > ",
        "photo": "[photo: {width}×{height}, {kb} KB]",
        "switched": "Now sending as {who}.",
        "no_button": "There is no button {number}.",
        "url_button": "That is a link button: {url}",
        "blocked": "{who} blocked the bot.",
        "unblocked": "{who} unblocked the bot.",
        "group_on": "Now sending in the group '{title}'.",
        "group_off": "Back to the private chat.",
        "edited": "(edited)",
        "deleted": "🗑 message {message_id} was deleted.",
        "rejected": "⚠️ The sandbox rejected a bot request: {method} → {description}",
        "bad_usage": "Usage: {usage}",
        "stopping": "Stopping…",
        "stopped": "Demo finished. The data stay in {path}.",
        "timeout": "The bot has not answered yet; the reply may appear shortly.",
        "code_delivered": "📱 (simulated) code {code} sent to {vms_id} at {destination}",
        "members": "Demo VMS IDs: {members}  (see the README for their situations)",
        "consent_set": "{vms_id}: {site} linkage consent {state}",
        "volunteered": "{vms_id}: added {hours} hours of volunteering today to VMS.",
        "clock_moved": "Moved the clock {hours} hours forward. Now: {now}",
        "due_ran": "Work that became due: {done} done, {retried} to retry, {given_up} given up",
        "demo_host": "행복나눔 종합사회복지관",
        "demo_activity": "급식 배식 보조 (meal service)",
        "first_user": "Minji",
        "staff_name": "Center staff",
        "user_n": "User{id}",
        "user_usage": ":user 1002 [name]",
        "group_title": "OO High volunteering club",
    },
}
