"""English: answers to plain questions (bot/services/answers.py picks one by keywords).

answers.keywords.<topic>: words separated by '|'; any one found means that topic. Spaces are
ignored; 'a+b' needs both. The topic with most words found wins; on a tie, the one listed first.
"""

TEXTS: dict[str, str] = {
    "answers.keywords.neis": "neis|school|student record",
    "answers.keywords.rrn_changed": "resident number+changed|resident number+new|rrn+changed",
    "answers.keywords.dormant": "dormant|account+deleted|account+gone|account+disappeared",
    "answers.keywords.send_failing": "won't send|can't send|cannot send|not sending|send+fail|failed|error|not working",
    "answers.keywords.when_visible": "when|how long|how many days|24 hours|not showing|not show|doesn't show|not appear|not there yet",
    "answers.keywords.consent_how": "consent|agree|how+link",
    "answers.keywords.send_how": "send|transmit",
    "answers.keywords.status": "status|result|record|hours",
    "answers.keywords.forgot_id": (
        "forgot+id|forget+id|don't know+id|dont know+id|lost+id|find+id|what+my id|remember+id"
    ),
    "answers.keywords.link_how": "user id|login|link|code",
    "answers.keywords.center": "center|centre|contact|phone|call|kakao|staff",
    "answers.keywords.thanks": "thank|thx",
    "answers.keywords.greeting": "hello|good morning|good afternoon",
    "answers.menu": (
        "What can I help you with? Choose the closest question below.\n"
        "You can also just write a short question, like 'my records won't send'."
    ),
    "answers.greeting": "Hello! What can I help you with? Choose below.",
    "answers.thanks": "You're welcome! Ask me any time.",
    "answers.question.when_visible": "⏱ When do my hours show up?",
    "answers.question.send_failing": "❌ My records won't send",
    "answers.question.neis": "🏫 Not showing in NEIS",
    "answers.question.consent_how": "📋 How do I consent?",
    "answers.button.more": "◀ Other questions",
    "answers.neis": (
        "🏫 <b>Hours not showing in school NEIS</b>\n"
        "• Records move VMS → 1365 → NEIS. They must reach 1365 before NEIS.\n"
        "• NEIS takes whole hours only: a record under an hour (say 30 minutes) does not show.\n"
        "• Only this school year's records (1 March to the end of February) go to NEIS.\n"
        "• Records already in NEIS can't be changed on 1365: ask your school's teacher in charge.\n\n"
        "Check below whether your records reached 1365."
    ),
    "answers.neis.unlinked": (
        "🏫 <b>Hours not showing in school NEIS</b>\n"
        "• Records move VMS → 1365 → NEIS. They must reach 1365 before NEIS.\n"
        "• NEIS takes whole hours only: a record under an hour (say 30 minutes) does not show.\n"
        "• Only this school year's records (1 March to the end of February) go to NEIS.\n"
        "• Records already in NEIS can't be changed on 1365: ask your school's teacher in charge.\n\n"
        "Link your VMS account to see here whether your records reached 1365: use the button below."
    ),
    "answers.continue.guide": "The guide is still open: carry on with the buttons of the guide message above.",
    "answers.continue.link_id": "Linking is still open too: send your VMS ID to carry on.",
    "answers.continue.link_code": "Linking is still open too: send the 6-digit code you received.",
    "answers.rrn_changed": (
        "🪪 <b>Your resident registration number changed</b>\n"
        "A consent given with the old number no longer carries records. On 1365, go to "
        "'나의자원봉사' › '회원정보관리' › '자원봉사활동 부가정보', press '정보제공 동의 초기화', "
        "redo the real-name check with the new number, then consent again.\n"
        "⚠️ Type your resident number only on the 1365 site, never to me."
    ),
    "answers.dormant": (
        "💤 <b>Your 1365 account is gone</b>\n"
        "1365 deletes accounts with no login and no records for a year, after a notice. "
        "Sign up on 1365 again, give the 1365 consent again, then send your records again."
    ),
    "answers.send_failing": (
        "❌ <b>When sending doesn't work</b>\n"
        "1. The <b>1365 consent must come first</b>. Records sent before it fail: send them again once you have consented.\n"
        "2. You can send once an hour.\n"
        "3. Which records failed and why: 'Linkage status' below, or the '결과' column under VMS "
        "'마이페이지' › '1365연계 결과조회'."
    ),
    "answers.send_failing.unlinked": (
        "❌ <b>When sending doesn't work</b>\n"
        "1. The <b>1365 consent must come first</b>. Records sent before it fail: send them again once you have consented.\n"
        "2. You can send once an hour.\n"
        "3. Which records failed and why: the '결과' column under VMS '마이페이지' › "
        "'1365연계 결과조회', or here once you link your VMS account."
    ),
    "answers.when_visible": (
        "⏱ <b>How your hours reach 1365</b>\n"
        "1. The place you volunteered at enters the record in VMS.\n"
        "2. With both consents given, the VMS records are sent to 1365, once an hour at most.\n"
        "3. Records sent successfully show in 1365 '나의자원봉사' after a full 24 hours.\n"
        "4. School NEIS gets them after that.\n\n"
        "See below how far your records have come."
    ),
    "answers.when_visible.unlinked": (
        "⏱ <b>How your hours reach 1365</b>\n"
        "1. The place you volunteered at enters the record in VMS.\n"
        "2. With both consents given, the VMS records are sent to 1365, once an hour at most.\n"
        "3. Records sent successfully show in 1365 '나의자원봉사' after a full 24 hours.\n"
        "4. School NEIS gets them after that.\n\n"
        "Link your VMS account to see here how far your records have come: use the button below."
    ),
    "answers.consent_how": (
        "📋 <b>You consent in two places</b>\n"
        "First on the 1365 Volunteer Portal, then on VMS. Without the 1365 consent in place, records you send don't reach 1365.\n"
        "I'll show you where to press, screen by screen."
    ),
    "answers.send_how": (
        "📤 <b>Sending records</b>\n"
        "With both consents given, you can send your VMS records to 1365 right here, once an "
        "hour. Records sent successfully show on 1365 after a full 24 hours."
    ),
    "answers.status": "📊 Your consents, records and send results are one button away.",
    "answers.status.unlinked": (
        "📊 Link your VMS account to see your consents, records and send results here: "
        "use the button below."
    ),
    "answers.forgot_id": (
        "🔎 <b>When you can't remember your VMS ID</b>\n"
        "• Your VMS ID is the one you log in to the VMS site (vms.or.kr) with; it is not your 1365 ID.\n"
        "• This bot can't look your ID up, and never tells which IDs exist. "
        "Use the button below to find your ID on the VMS site.\n"
        "• Once you know it, send it here. If it is registered with VMS, a code goes to the "
        "phone or e-mail registered for it."
    ),
    "answers.link_how": (
        "🔗 <b>Linking your VMS account</b>\n"
        "Send me the user ID you log in to VMS with, and I'll have a code sent to the phone or "
        "e-mail registered for it. No password needed."
    ),
}
