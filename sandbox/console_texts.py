"""Texts of the terminal demo (the operator-facing sandbox), Korean first, in 해요체.

These are the console's own voice, not the bot's: the bot's sentences live in bot/i18n.
Values are filled in with str.format; sentences are phrased so that no Korean particle
follows a value (IDs, numbers, names), which would need the bot's particle helper.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

TEXTS: dict[str, dict[str, str]] = {
    "ko": {
        "banner": (
            "━━ 연계도우미 콘솔 데모 ━━\n"
            "진짜 Telegram 대신 이 컴퓨터 안의 모의 Bot API 서버와 이야기해요. 데이터는 모두 가상이에요.\n"
            "메시지나 /명령을 입력하세요. 버튼은 번호로 눌러요. 도움말은 :help, 끝내기는 :quit 또는 Ctrl-C예요.\n"
            "로그는 {log} 파일에 따로 남아요."
        ),
        "resumed": "지난번 대화를 이어서 해요. 모의 Telegram의 대화는 {path} 파일에 있어요.",
        "staff_hint": (
            "센터 직원은 아직 봇과 대화한 적이 없어서 '센터에 질문 남기기'를 받을 수 없어요. "
            "먼저 :staff 로 바꿔 /start 를 보내 보세요."
        ),
        "help": (
            "  글자 또는 /명령   지금 사용자로 봇에게 보내요\n"
            "  숫자(1~2자리)     마지막 메시지에서 그 번호의 버튼을 눌러요\n"
            "  :user ID [이름]   다른 사용자로 바꿔요 (예: :user 1002 지훈)\n"
            "  :staff            센터 직원(관리자) 사용자로 바꿔요\n"
            "  :client ko|en     Telegram 앱의 언어를 바꿔요\n"
            "  :group            단체방에서 보내요 / 다시 1:1로 돌아와요\n"
            "  :block / :unblock 봇을 차단해요 / 차단을 풀어요\n"
            "  :reply 글          봇의 마지막 메시지에 답장해요 (센터 문의에 답할 때)\n"
            "  ── 모의 VMS 게이트웨이 ──\n"
            "  :members                         데모 VMS 아이디를 보여 줘요\n"
            "  :consent 아이디 1365|vms on|off  그 사이트에서 연계 동의를 하거나 철회해요\n"
            "  :volunteer 아이디 시간           오늘 봉사 실적을 추가해요 (예: :volunteer kindly0904 2)\n"
            "  :clock 시간                      시계를 앞으로 돌려요 (예: :clock 25)\n"
            "  데이터를 바꾸는 명령 뒤에는 때가 된 예약 작업(알림, 전송 결과)을 바로 실행해요.\n"
            "  :quit             끝내요"
        ),
        "prompt": "[{who}] > ",
        "switched": "이제 {who} 사용자로 보내요.",
        "client_set": "이제 Telegram 앱의 언어가 {language}예요.",
        "language_ko": "한국어",
        "language_en": "영어",
        "photo": "[사진: {width}×{height}, {kb} KB]",
        "no_button": "{number}번 버튼이 없어요.",
        "url_button": "링크 버튼이에요: {url}",
        "blocked": "{who} 사용자가 봇을 차단했어요.",
        "unblocked": "{who} 사용자가 차단을 풀었어요.",
        "group_on": "이제 단체방 '{title}'에서 보내요.",
        "group_off": "다시 1:1 대화로 보내요.",
        "edited": "(수정됨)",
        "deleted": "🗑 메시지 {message_id}번이 지워졌어요.",
        "other_chat": "🤖 → {who} 대화에 보낸 메시지:",
        "toast": "💬 (화면 위 잠깐 알림) {text}",
        "alert": "🔔 (알림 창) {text}  [확인]",
        "rejected": "⚠️ 모의 서버가 봇의 요청을 거절했어요: {method} → {description}",
        "log_warnings": "⚠️ 경고 로그 {count}줄이 {path} 파일에 남았어요.",
        "bad_usage": "사용법: {usage}",
        "too_long": (
            "메시지가 너무 길어서 보내지 않았어요. 길이 {length}, 한 메시지는 {limit}까지예요 "
            "(이모지는 2로 세요). 나눠서 보내 주세요."
        ),
        "stopping": "끝내는 중…",
        "stopped": "데모를 마쳤어요. 데이터는 {path} 파일에 남아 있어요.",
        "desk_on": (
            "업무 창(직원용 Mini App)은 이 컴퓨터의 브라우저에서 열어 볼 수 있어요. 한 시간 동안 "
            "센터 직원으로 로그인된 주소예요:\n{url}\n"
            "실제 Telegram에서는 WEB_URL이 https 주소여야 열려요."
        ),
        "desk_off": (
            "업무 창(직원용 Mini App)을 브라우저에서 열어 보려면 "
            "WEB_URL=http://127.0.0.1:8080/desk/ 와 WEB_LISTEN=127.0.0.1:8080 을 설정하고 데모를 "
            "다시 시작하세요. 이 컴퓨터 안에서는 http로도 열려요."
        ),
        "timeout": "봇이 아직 답하지 않았어요. 조금 뒤에 결과가 나타날 수 있어요.",
        "code_delivered": (
            "📱 (모의 발송) {vms_id} 회원에게 문자가 갔어요 — 인증번호 {code} (받는 곳: {destination})"
        ),
        "code_emailed": (
            "📧 (모의 발송) {vms_id} 회원에게 이메일이 갔어요 — 인증번호 {code} (받는 곳: {destination})"
        ),
        "members": "데모 VMS 아이디: {members}  (회원마다 상황은 README에 있어요)",
        "consent_on": "{vms_id}: {site}에서 연계 동의를 했어요.",
        "consent_off": "{vms_id}: {site}에서 연계 동의를 철회했어요.",
        "volunteered": "{vms_id}: 오늘 {hours}시간 봉사 실적을 VMS에 추가했어요.",
        "clock_moved": "시계를 {hours}시간 앞으로 돌렸어요. 지금: {now}",
        "due_ran": "⏰ 때가 된 예약 작업을 실행했어요: {items}.",
        "due_item": "{kind} {count}건",
        "due_retry": " 다시 시도할 작업: {count}건.",
        "due_given_up": " 포기한 작업: {count}건 (로그 참고).",
        "due_none": "⏰ 지금 때가 된 예약 작업은 없어요.",
        "due_next": " 다음 예약: {items}. 시계를 돌리려면 :clock 시간",
        "due_next_item": "{kind} {when}",
        "kind.send.nudge": "새 실적 알림",
        "kind.send.result": "전송 결과 확인",
        "kind.send.visible": "1365 반영 안내",
        "kind.link.revoke": "연결 해제",
        "kind.flows.sweep": "멈춘 대화 정리",
        "kind.flows.expire": "시간이 지난 대화 비우기",
        "kind.desk.prune_keys": "지난 데스크 요청 키 지우기",
        "kind.other": "기타 작업",
        "demo_host": "행복나눔 종합사회복지관",
        "demo_activity": "급식 배식 보조",
        "first_user": "민지",
        "staff_name": "센터직원",
        "user_n": "사용자{id}",
        "user_usage": ":user 1002 [이름]",
        "reply_usage": ":reply 답장할 글",
        "nothing_to_reply": "답장할 봇 메시지가 아직 없어요.",
        "replying": "↪ 봇의 마지막 메시지에 답장해요.",
        "client_usage": ":client ko|en",
        "group_title": "OO고 봉사동아리",
    },
    "en": {
        "banner": (
            "━━ 연계도우미 console demo ━━\n"
            "You are talking to a sandbox Bot API server on this machine, not to Telegram. All data are simulated.\n"
            "Type messages or /commands. Press buttons by number. :help for help, :quit or Ctrl-C to stop.\n"
            "Logs go to the file {log}."
        ),
        "resumed": "Carrying on from last time: the sandbox Telegram's chats are in {path}.",
        "staff_hint": (
            "The center staff user has never talked to the bot, so questions written to the "
            "center cannot reach anyone yet: switch with :staff and send /start first."
        ),
        "help": (
            "  text or /command   send it to the bot as the current user\n"
            "  1- or 2-digit number  press that button of the latest message\n"
            "  :user ID [name]    switch to another user (e.g. :user 1002 Jihun)\n"
            "  :staff             switch to the center staff (admin) user\n"
            "  :client ko|en      change the Telegram app's language\n"
            "  :group             send in a group chat / back to private\n"
            "  :block / :unblock  block / unblock the bot\n"
            "  :reply text        reply to the bot's latest message (to answer a help request)\n"
            "  ── sandbox VMS gateway ──\n"
            "  :members                       demo VMS IDs\n"
            "  :consent ID 1365|vms on|off    give or withdraw consent on that site\n"
            "  :volunteer ID HOURS            add a record for today (e.g. :volunteer kindly0904 2)\n"
            "  :clock HOURS                   move the clock forward (e.g. :clock 25)\n"
            "  After a command that changes data, work that became due (notices, results) runs.\n"
            "  :quit              stop"
        ),
        "prompt": "[{who}] > ",
        "photo": "[photo: {width}×{height}, {kb} KB]",
        "switched": "Now sending as {who}.",
        "client_set": "The Telegram app's language is now {language}.",
        "language_ko": "Korean",
        "language_en": "English",
        "no_button": "There is no button {number}.",
        "url_button": "That is a link button: {url}",
        "blocked": "{who} blocked the bot.",
        "unblocked": "{who} unblocked the bot.",
        "group_on": "Now sending in the group '{title}'.",
        "group_off": "Back to the private chat.",
        "edited": "(edited)",
        "deleted": "🗑 message {message_id} was deleted.",
        "other_chat": "🤖 → to the chat with {who}:",
        "toast": "💬 (brief notice) {text}",
        "alert": "🔔 (alert) {text}  [OK]",
        "rejected": "⚠️ The sandbox rejected a bot request: {method} → {description}",
        "log_warnings": "⚠️ {count} warning line(s) written to {path}.",
        "bad_usage": "Usage: {usage}",
        "too_long": (
            "That message is too long and was not sent: length {length}, one message holds up "
            "to {limit} (an emoji counts 2). Please send it in parts."
        ),
        "stopping": "Stopping…",
        "stopped": "Demo finished. The data stay in {path}.",
        "desk_on": (
            "The staff desk (a Mini App) opens in a browser on this computer; this address is "
            "signed in as the center staff user for an hour:\n{url}\n"
            "In real Telegram it opens only from an https WEB_URL."
        ),
        "desk_off": (
            "To try the staff desk (a Mini App) in a browser, set "
            "WEB_URL=http://127.0.0.1:8080/desk/ and WEB_LISTEN=127.0.0.1:8080 and start the demo "
            "again: on this computer plain http works."
        ),
        "timeout": "The bot has not answered yet; the reply may appear shortly.",
        "code_delivered": "📱 (simulated) a text to {vms_id}: code {code} (sent to {destination})",
        "code_emailed": "📧 (simulated) an e-mail to {vms_id}: code {code} (sent to {destination})",
        "members": "Demo VMS IDs: {members}  (see the README for their situations)",
        "consent_on": "{vms_id}: consented to linkage on {site}.",
        "consent_off": "{vms_id}: withdrew the linkage consent on {site}.",
        "volunteered": "{vms_id}: added {hours} hours of volunteering today to VMS.",
        "clock_moved": "Moved the clock {hours} hours forward. Now: {now}",
        "due_ran": "⏰ Ran the work that became due: {items}.",
        "due_item": "{kind} ×{count}",
        "due_retry": " To retry: {count}.",
        "due_given_up": " Given up: {count} (see the log).",
        "due_none": "⏰ Nothing is due now.",
        "due_next": " Next: {items}. Move the clock with :clock HOURS",
        "due_next_item": "{kind} {when}",
        "kind.send.nudge": "new-record notice",
        "kind.send.result": "send result check",
        "kind.send.visible": "shown-on-1365 notice",
        "kind.link.revoke": "unlinking",
        "kind.flows.sweep": "stale conversation sweep",
        "kind.flows.expire": "emptying an expired conversation",
        "kind.desk.prune_keys": "clearing the desk's spent request keys",
        "kind.other": "other work",
        "demo_host": "행복나눔 종합사회복지관",
        "demo_activity": "급식 배식 보조 (meal service)",
        "first_user": "Minji",
        "staff_name": "Center staff",
        "user_n": "User{id}",
        "user_usage": ":user 1002 [name]",
        "reply_usage": ":reply text of the reply",
        "nothing_to_reply": "There is no bot message to reply to yet.",
        "replying": "↪ Replying to the bot's latest message.",
        "client_usage": ":client ko|en",
        "group_title": "OO High volunteering club",
    },
}

_MONTHS = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]


def when(lang: str, moment: datetime, tz: tzinfo) -> str:
    """A moment as people there read it, in the bot's time zone: "2026년 12월 1일 오후 3시 5분
    (KST)" or "1 December 2026, 3:05 PM (KST)"."""
    local = moment.astimezone(tz)
    hour12 = local.hour % 12 or 12
    zone = local.tzname() or ""
    if lang == "ko":
        minutes = f" {local.minute}분" if local.minute else ""
        # The hour after midnight is 0시, as the bot writes it (never "오전 12시").
        hour = "0시" if local.hour == 0 else f"{'오전' if local.hour < 12 else '오후'} {hour12}시"
        return f"{local.year}년 {local.month}월 {local.day}일 {hour}{minutes} ({zone})"
    half = "AM" if local.hour < 12 else "PM"
    month = _MONTHS[local.month - 1]
    return f"{local.day} {month} {local.year}, {hour12}:{local.minute:02d} {half} ({zone})"


def kind_name(lang: str, kind: str) -> str:
    """The due-work kind as the console names it."""
    return TEXTS[lang].get(f"kind.{kind}", TEXTS[lang]["kind.other"])
