"""Guide mode (no gateway). Site menu labels stay in Korean, quoted, as the handout shows them."""

TEXTS: dict[str, str] = {
    "guide.finished.self_reported": (
        "📝 <b>What you told me</b>: you've consented on both sites. I haven't checked it."
    ),
    "gm.not_connected": (
        "ℹ️ <b>This center's bot is not connected to VMS.</b>\n"
        "So I can't link your account or send records for you. Instead, I'll walk you through "
        "doing it on the sites yourself, step by step."
    ),
    "gm.link.body": (
        "<b>Check your VMS account and consents on VMS itself</b>\n"
        "1. Log in at vms.or.kr.\n"
        "2. Click '마이페이지' at the bottom left.\n"
        "3. Click '1365연계 결과조회': it shows 'V ID ↔ 1365 ID' and the date of your consent.\n\n"
        "If you haven't consented yet, <b>📋 How to link</b> below walks you through it, "
        "1365 first."
    ),
    "gm.send.body": (
        "<b>How to send from VMS to 1365</b>\n"
        "1. Log in at vms.or.kr.\n"
        "2. Click '마이페이지' at the bottom left.\n"
        "3. Click '1365연계 결과조회'.\n"
        "4. Click '봉사실적 일괄전송'. You can send once an hour.\n"
        "5. A moment later, click '새로고침' and check the '결과' column.\n\n"
        "The 1365 consent must be in place first, or the send fails. Once you've sent, press "
        "<b>📤 I sent it on VMS</b>. I'll ask 24 hours later whether 1365 shows it."
    ),
    "gm.status.body": (
        "<b>Check where you stand on the sites</b>\n"
        "• VMS: '마이페이지' → '1365연계 결과조회' shows your consent date and, for each record, "
        "'전송일자' (sent on) and '결과' (result). Unsent records go with '봉사실적 일괄전송'.\n"
        "• 1365: log in at www.1365.go.kr and see whether your records are there. Records sent "
        "successfully show up after a full 24 hours."
    ),
    "gm.reported.title": "📝 <b>What you told me</b> (I haven't checked it)",
    "gm.reported.none": "📝 You haven't told me anything yet.",
    "gm.reported.consent": "• You said you gave the {consent}.",
    "gm.reported.sent": "• You said you sent from VMS at {time}.",
    "gm.reported.seen": "• You said 1365 shows it.",
    "gm.reported.not_seen": "• You said 1365 doesn't show it.",
    "gm.reported.waiting": "• 1365 shows it from {time}. I'll ask you then.",
    "gm.reported.next_send": "⏳ VMS takes your next send from {time}.",
    "gm.sent.recorded": (
        "📝 <b>Noted: you sent from VMS at {time}.</b>\n"
        "Records sent successfully show on 1365 after a full 24 hours. I'll ask you at "
        "{visible} whether 1365 shows them.\n"
        "⏳ VMS takes your next send from {next}."
    ),
    "gm.sent.too_soon": (
        "⏳ You said you sent at {sent}. VMS allows one send an hour, so the next one works "
        "from {next}. Pressing '봉사실적 일괄전송' before then won't be accepted by VMS."
    ),
    "gm.check.question": (
        "🔎 <b>Does 1365 show it?</b>\n"
        "You said you sent from VMS at {sent}. A full 24 hours have passed: log in at "
        "www.1365.go.kr and see whether your records are there."
    ),
    "gm.check.reminder": "⏰ It's the time you chose.",
    "gm.yes": (
        "👍 <b>Great!</b> Since 1365 shows it, this send is done.\n\n"
        "<b>If your school needs it in NEIS</b>\n"
        "• Records go VMS → 1365 → NEIS.\n"
        "• NEIS counts whole hours only: a record under an hour (30 minutes, say) doesn't "
        "show there.\n"
        "• NEIS takes only the current school year (1 March to the end of February).\n"
        "• Records already passed to NEIS can't be changed from 1365."
    ),
    "gm.no": (
        "Look for the cause in this order.\n\n"
        "<b>1. The 1365 consent is missing or must be reset</b>\n"
        "On 1365, '정보 수정' → '나의자원봉사' → '회원정보관리' → '자원봉사활동 부가정보': "
        "check '봉사실적 연계를 위한 정보제공 동의'. If your resident registration number "
        "changed, press '정보제공 동의 초기화', verify your real name again and consent again. "
        "Then send again from VMS.\n\n"
        "<b>2. Your 1365 account was deleted as dormant</b>\n"
        "1365 may delete an account with no login and no records for a year. Sign up or log in "
        "at www.1365.go.kr again, give the consent, then send again from VMS.\n\n"
        "<b>3. The send failed on VMS</b>\n"
        "On VMS, '마이페이지' → '1365연계 결과조회': press '새로고침' and look at the '결과' "
        "column. Fix the cause above for a failed row, then press '재전송' or send again with "
        "'봉사실적 일괄전송' (once an hour).\n\n"
        "When you've sent again, press <b>📤 I sent it on VMS</b>."
    ),
    "gm.later.ask": "⏰ When shall I ask again? I'll remind you once.",
    "gm.later.set": "⏰ I'll ask you once more at {time}.",
    "gm.later.evening": "Tonight at 8 PM",
    "gm.later.tomorrow_morning": "Tomorrow at 9 AM",
    "gm.later.tomorrow_evening": "Tomorrow at 8 PM",
    "gm.later.in_3_days": "In 3 days",
    "gm.stale": "That question has passed. /status shows where you stand.",
    "gm.button.sent": "📤 I sent it on VMS",
    "gm.button.yes": "👍 Yes, it shows",
    "gm.button.no": "🤔 No, it doesn't",
    "gm.button.later": "⏰ Later",
    "gm.button.vms": "🌐 Open VMS",
    "gm.button.1365": "🌐 Open 1365",
    "gm.button.guide_1365": "📋 1365 consent guide",
}
