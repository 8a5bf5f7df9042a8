"""English texts for the /howto consent guide; keys match the other language's file.

Labels in single quotes ('정보 수정' and so on) are what the Korean sites show: keep them in
Korean, so the volunteer can find them on the screen.
"""

TEXTS: dict[str, str] = {
    # Common
    "guide.short.1365": "1365",
    "guide.short.vms": "VMS",
    "guide.title.1365": "Consent on the 1365 Volunteer Portal",
    "guide.title.vms": "Consent on VMS",
    # Each consent by the name its site gives it, the same everywhere.
    "guide.consent.1365": "1365 consent ('정보제공 동의')",
    "guide.consent.vms": "VMS consent ('연계 동의')",
    "guide.where": "{site} guide, step {step}",
    "guide.header": "<b>{title}</b>\nStep {step} of {steps}  {bar}",
    "guide.intro": (
        "📋 <b>For your hours to move from VMS to 1365, you must consent on both sites.</b>\n"
        "Do <b>1365 first</b>: without the 1365 consent, records sent from VMS fail."
    ),
    "guide.skipped": "⏭ You already gave your {consent} on {date}. Skipping those steps.",
    "guide.skipped.undated": "⏭ You already gave your {consent}. Skipping those steps.",
    "guide.said_done": (
        "Last time you told me both sites were done. Here it is from the start, so you can check. "
        "Link your VMS account (/link) and I can check the consents for you."
    ),
    "guide.said_done.guide_mode": (
        "Last time you told me both sites were done. Here it is from the start, so you can check."
    ),
    "guide.void_1365.not_found": (
        "⚠️ The VMS linkage server has a 1365 consent on record, but <b>your 1365 account can't be "
        "found.</b> It was deleted after a year without use, or never created. Without the account "
        "the old consent links nothing, so I'll walk you through 1365 again from signing up."
    ),
    "guide.void_1365.other": (
        "⚠️ The VMS linkage server has a 1365 consent on record, but can't tell your 1365 account's "
        "state. So I'll walk you through 1365 again from logging in."
    ),
    "guide.offline_at_start": (
        "⚠️ The VMS linkage server is not answering right now, so I couldn't check your consents "
        "first. I'll walk you through everything."
    ),
    # The five 1365 steps (as in the handout)
    "guide.step.1365.1.do": "Press <b>🌐 Open 1365</b> below to go to www.1365.go.kr.",
    "guide.step.1365.1.see": "The 1365 Volunteer Portal's front page opens. The menus are easier to find on a computer.",
    "guide.step.1365.2.do": "Sign up or log in (회원가입 또는 로그인). If you have no 1365 account yet, sign up first.",
    "guide.step.1365.2.see": "Once you are logged in, you can see '정보 수정' (edit my details), which you press next.",
    "guide.step.1365.3.do": "Press '정보 수정'.",
    "guide.step.1365.3.see": "You get to the '나의자원봉사' (my volunteering) pages, where your details are managed.",
    "guide.step.1365.4.do": "Press '나의자원봉사' → '회원정보관리' → '자원봉사활동 부가정보', in that order.",
    "guide.step.1365.4.see": (
        "Under '회원정보관리' you see 기본정보, 자원봉사활동 부가정보, 시상정보 등 부가정보, 교육정보관리 "
        "and 회원탈퇴. '자원봉사활동 부가정보' opens a page with fields such as preferred region and field."
    ),
    "guide.step.1365.5.do": (
        "At the very bottom, under '봉사실적 연계를 위한 정보제공 동의', tick the box and press '동의' (agree)."
    ),
    "guide.step.1365.5.see": (
        "The page then says '회원님은 OOOO년 OO월 OO일에 봉사실적 연계를 위한 정보제공에 동의하셨습니다' "
        "(you agreed on that date) and shows the buttons 'VMS 실적 전송하기 &gt;' and "
        "'정보제공 동의 초기화 &gt;'. When you see that, press the '✅ My 1365 consent is done' button."
    ),
    # The five VMS steps (as in the handout)
    "guide.step.vms.1.do": "Press <b>🌐 Open VMS</b> below to go to www.vms.or.kr.",
    "guide.step.vms.1.see": "The front page of VMS (사회복지자원봉사인증관리) opens.",
    "guide.step.vms.2.do": "Sign up or log in (회원가입 또는 로그인). If you have no VMS account yet, sign up first.",
    "guide.step.vms.2.see": "Once you are logged in, '마이페이지' (my page) is at the bottom left.",
    "guide.step.vms.3.do": "Press '마이페이지' at the bottom left (좌측하단).",
    "guide.step.vms.3.see": (
        "A menu on the left lists 자원봉사 신청결과, 봉사실적조회, 현월실적조회, 1365연계 결과조회, 회원정보 and more."
    ),
    "guide.step.vms.4.do": "Press '회원정보-개인정보': open '회원정보' in the left menu and choose '개인정보'.",
    "guide.step.vms.4.see": "A page for editing your personal details opens. The consent is at the very bottom: scroll all the way down.",
    "guide.step.vms.5.do": (
        "At the bottom, in '1365자원봉사포털 연계 동의', tick "
        "'1365자원봉사포털과 VMS 실적정보 연계에 동의합니다' and press '수정' (save)."
    ),
    "guide.step.vms.5.see": (
        "'마이페이지' → '1365연계 결과조회' now says '[date] 1365자원봉사포털에 실적연계를 위한 정보제공을 "
        "동의하셨습니다' (you consented on that date). When you see that, press the "
        "'✅ My VMS consent is done' button."
    ),
    # A site finished
    "guide.confirmed": "✅ <b>Your {consent} is confirmed.</b>\nYou agreed on {date}.",
    "guide.confirmed.undated": "✅ <b>Your {consent} is confirmed.</b>",
    "guide.self_reported": (
        "👍 <b>Noted: you gave your {consent}.</b>\n"
        "Your account isn't linked, so I couldn't check it myself. "
        "Link your VMS account with /link and I can confirm your consents."
    ),
    "guide.self_reported.guide_mode": (
        "👍 <b>Noted: you gave your {consent}.</b>\n"
        "This bot isn't connected to VMS, so I can't check it myself. "
        "I'll remember it as you told me."
    ),
    "guide.kept_unchecked": (
        "📝 <b>Noted: you gave your {consent}.</b>\n"
        "When the VMS linkage server answers again, you can check it with /howto."
    ),
    "guide.not_visible.1365": (
        "🔎 <b>Your 1365 consent isn't visible yet.</b>\n"
        "Check that you ticked the box under '봉사실적 연계를 위한 정보제공 동의' and then pressed '동의'. "
        "If you just did, press <b>🔄 Check again</b> in a moment."
    ),
    "guide.not_visible.vms": (
        "🔎 <b>Your VMS consent isn't visible yet.</b>\n"
        "Check that you ticked '1365자원봉사포털과 VMS 실적정보 연계에 동의합니다' and then pressed '수정'. "
        "If you just did, press <b>🔄 Check again</b> in a moment."
    ),
    "guide.not_visible.account": (
        "🔎 <b>Your 1365 account isn't visible yet.</b>\n"
        "The VMS linkage server can't find your 1365 account, so the old consent links nothing. "
        "Sign up again at www.1365.go.kr, then give the consent. "
        "If you just did, press <b>🔄 Check again</b> in a moment."
    ),
    "guide.offline": (
        "⚠️ <b>The VMS linkage server isn't answering, so I couldn't check your {consent}.</b>\n"
        "I've noted that you did it. Press <b>🔄 Check again</b> in a while, or carry on for now."
    ),
    # The end
    "guide.finished.title": "🎉 <b>You've consented on both sites!</b>",
    "guide.finished.vms_only": "✅ <b>Your VMS consent is done.</b>",
    "guide.finished.warn_1365": (
        "⚠️ But the VMS linkage server doesn't show a 1365 consent yet. The 1365 consent must be in place "
        "first, or VMS records won't go through. Please check the 1365 steps again with the button below."
    ),
    "guide.finished.link_hint": (
        "Link your VMS account with /link and I'll confirm both consents for you."
    ),
    "guide.finished.link_hint.guide_mode": (
        "This bot isn't connected to VMS, so it can't check your consents. After sending, press "
        "<b>📤 I sent it on VMS</b> in /send and I'll ask a day later whether 1365 shows it."
    ),
    "guide.finished.check_later": "When the VMS linkage server answers again, /howto checks your consents.",
    "guide.next_send": (
        "📤 <b>Now send your records.</b> Press <b>📤 Send my records to 1365</b> below and I'll send them "
        "from VMS to 1365. To send on VMS yourself, go to '마이페이지' → '1365연계 결과조회', press "
        "'봉사실적 일괄전송' (send all), then press '새로고침' (refresh) a little later and read the "
        "'결과' (result) column. You can send once an hour."
    ),
    "guide.next_send.unlinked": (
        "📤 <b>Now send your records.</b> On VMS, go to '마이페이지' → '1365연계 결과조회', press "
        "'봉사실적 일괄전송' (send all), then press '새로고침' (refresh) a little later and read the "
        "'결과' (result) column. You can send once an hour, and records sent successfully show on "
        "1365 after a full 24 hours."
    ),
    "guide.when_visible": (
        "🕐 Records sent successfully show on 1365 after <b>a full 24 hours</b>. "
        "<b>📊 Linkage status</b> tells you from when."
    ),
    "guide.resend_failed": (
        "❗ <b>{count} records you sent before are still marked failed.</b> Your consents are "
        "confirmed now, so send them again: press <b>📤 Send the failed records again</b> below, or "
        "on VMS press '재전송' (resend) on each failed row of '마이페이지' → '1365연계 결과조회'."
    ),
    "guide.identity.failed": (
        "{count} records you sent failed because <b>your real-name details don't match</b>. This "
        "happens when your resident registration number changed after your 1365 consent. Reset "
        "the consent and give it again, as below."
    ),
    "guide.identity.then_resend": (
        "Once you've consented again, press <b>📤 Send the failed records again</b> below."
    ),
    "guide.already_done": "✅ <b>Both consents are confirmed.</b>",
    "guide.already_done.identity": "⚠️ <b>Both consents are in place, but you must give the 1365 consent again.</b>",
    "guide.agreed_line": "• {consent}: agreed on {date}",
    "guide.agreed_line.undated": "• {consent}: agreed",
    # Resuming
    "guide.resume_offer": (
        "📋 Last time you stopped at <b>{where}</b>.\nContinue there, or start over?"
    ),
    # Stuck
    "guide.stuck.menu": (
        "😥 <b>Where are you stuck?</b>\nPick the closest one. Once it's solved you go back to {where}."
    ),
    "guide.topic.account.button": "🔑 No account, or forgot my ID/password",
    "guide.topic.menu.button": "🧭 I can't find the menu",
    "guide.topic.rrn.button": "🪪 My resident registration number changed",
    "guide.topic.dormant.button": "💤 My 1365 account is gone",
    "guide.topic.neis.button": "🏫 My hours don't show in school (NEIS)",
    "guide.topic.failing.button": "❌ I consented but sending still fails",
    "guide.topic.account.1365": (
        "🔑 <b>No 1365 account, or forgot your ID or password</b>\n"
        "• New to 1365? Sign up at www.1365.go.kr first.\n"
        "• Forgot your ID or password? The login page has ID and password recovery (아이디 찾기 · 비밀번호 찾기), "
        "which checks who you are.\n"
        "• Your 1365 ID and your VMS ID are separate accounts: recover each one on its own site."
    ),
    "guide.topic.account.vms": (
        "🔑 <b>No VMS account, or forgot your ID or password</b>\n"
        "• New to VMS? Sign up at www.vms.or.kr first.\n"
        "• Forgot your ID or password? The login page has ID and password recovery (아이디 찾기 · 비밀번호 찾기), "
        "which checks who you are.\n"
        "• Your VMS ID and your 1365 ID are separate accounts. The facility where you volunteered enters "
        "your hours in VMS: if you're not sure which account they used, ask them."
    ),
    "guide.topic.menu.1365": (
        "🧭 <b>Can't find the menu on 1365</b>\n"
        "• '정보 수정' and '나의자원봉사' only appear once you are logged in.\n"
        "• No '정보 수정'? Go straight to '나의자원봉사' → '회원정보관리' → '자원봉사활동 부가정보'.\n"
        "• '봉사실적 연계를 위한 정보제공 동의' is at the very bottom of that page: scroll all the way down.\n"
        "• If it shows a date and '정보제공 동의 초기화 &gt;', your 1365 consent is already done.\n"
        "• If the menus are hard to see on a phone, try a computer."
    ),
    "guide.topic.menu.vms": (
        "🧭 <b>Can't find the menu on VMS</b>\n"
        "• '마이페이지' is at the bottom left once you are logged in.\n"
        "• In the left menu of '마이페이지', open '회원정보' to find '개인정보' ('회원정보-개인정보').\n"
        "• '1365자원봉사포털 연계 동의' is at the very bottom of that page: scroll all the way down.\n"
        "• If '마이페이지' → '1365연계 결과조회' says '1365자원봉사포털에 실적연계를 위한 정보제공을 동의하셨습니다', "
        "your VMS consent is already done.\n"
        "• If the menus are hard to see on a phone, try a computer."
    ),
    "guide.topic.rrn": (
        "🪪 <b>Your resident registration number changed</b>\n"
        "Since 30 May 2017 a resident registration number can be changed. If yours was, the consent "
        "given under the old number no longer links your records.\n"
        "1. On 1365, go to '나의자원봉사' → '회원정보관리' → '자원봉사활동 부가정보'.\n"
        "2. Under '봉사실적 연계를 위한 정보제공 동의', press '정보제공 동의 초기화' (reset the consent).\n"
        "3. Verify your real name again (실명인증) with the new number.\n"
        "4. Tick the box again and press '동의'.\n"
        "⚠️ Enter your resident registration number only on the 1365 site. Never send it to me."
    ),
    "guide.topic.dormant": (
        "💤 <b>Your 1365 account was deleted</b>\n"
        "1365 deletes accounts with no login and no volunteer records for a year, after an e-mail "
        "warning. Without an account, records sent from VMS have nowhere to go.\n"
        "1. Sign up again at www.1365.go.kr.\n"
        "2. Do the 1365 consent steps again.\n"
        "3. Send your records from VMS again."
    ),
    "guide.topic.neis": (
        "🏫 <b>Your hours don't show in school (NEIS)</b>\n"
        "• Records travel VMS → 1365 → NEIS: they must reach 1365 before NEIS can get them.\n"
        "• NEIS counts whole hours only: records under one hour (30 minutes, say) are not shown.\n"
        "• NEIS takes only the current school year (1 March to the end of February).\n"
        "• Records already passed to your school's NEIS can't be changed from 1365: ask the teacher in charge."
    ),
    "guide.topic.failing": (
        "❌ <b>You consented but sending still fails</b>\n"
        "1. Check the order: the <b>1365 consent must come first</b>. Records sent from VMS before it "
        "fail; once the 1365 consent is done, press '재전송' (resend) on the failed rows of VMS "
        "'마이페이지' → '1365연계 결과조회'.\n"
        "2. VMS lets you send once an hour.\n"
        "3. After sending, press '새로고침' (refresh): the '결과' (result) column shows what went "
        "through and why a record failed.\n"
        "4. Records sent successfully show on 1365 after a full 24 hours."
    ),
    "guide.center": (
        "{contact}\n\n"
        "• Press <b>✍️ Write to the center</b> below to leave a question for the center's staff; "
        "I'll bring their answer to this chat.\n"
        "• For 1365 account or real-name verification problems, contact the 1365 Volunteer Portal's help "
        "desk; its contact details are on www.1365.go.kr.\n"
        "• For VMS account problems, use the contact details on www.vms.or.kr.\n"
        "⚠️ Even then, never send your resident registration number by chat or text message."
    ),
    # Old guides, wrong input
    "guide.replaced": "📋 This guide was replaced by a newer one. Please use the latest guide below.",
    "guide.replaced_finished": "📋 This guide has ended. Press /howto to see it again.",
    "guide.toast.replaced": "This guide was replaced by a newer one. Please continue in the latest guide below.",
    "guide.toast.resent": "This guide was replaced. I've sent you the current one below.",
    "guide.toast.finished": "This guide has ended. Press /howto to see it again.",
    "guide.text_hint": (
        "📋 Please use the buttons under the guide. You're at <b>{where}</b>.\n"
        "To stop, press /cancel."
    ),
    "guide.text_hint.idle": "📋 Press /howto to open the guide again.",
    "guide.expired": "The guide was left open a long time, so I closed it. Your place is saved: /howto continues.",
    "guide.cancelled": "Guide paused. I've saved where you were: /howto continues any time.",
    # Buttons
    "guide.button.prev": "◀ Back",
    "guide.button.next": "Next ▶",
    "guide.button.done.1365": "✅ My 1365 consent is done",
    "guide.button.done.vms": "✅ My VMS consent is done",
    "guide.button.back_to_1365": "◀ Back to 1365",
    "guide.button.entry.1365": "📋 How to give the 1365 consent",
    "guide.button.entry.vms": "📋 How to give the VMS consent",
    "guide.button.send": "📤 Send my records to 1365",
    "guide.button.resend": "📤 Send the failed records again",
    "guide.button.link": "🔗 Link my VMS account",
    "guide.button.stuck": "😥 I'm stuck",
    "guide.button.open.1365": "🌐 Open 1365",
    "guide.button.open.vms": "🌐 Open VMS",
    "guide.button.check": "🔄 Check again",
    "guide.button.last_step": "◀ See step 5 again",
    "guide.button.go_on": "On to VMS ▶",
    "guide.button.finish": "Finish ▶",
    "guide.button.center": "☎️ Contact the center",
    "guide.button.back_to_step": "◀ Back to {where}",
    "guide.button.solved": "Solved → continue",
    "guide.button.other": "◀ Another problem",
    "guide.button.resume": "▶ Continue at {where}",
    "guide.button.restart": "↺ Start over",
}
