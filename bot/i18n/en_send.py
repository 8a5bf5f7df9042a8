"""English: sending to 1365 (/send), its results, and the "look on 1365 now" message."""

TEXTS: dict[str, str] = {
    "send.stalled": (
        "I waited a long time for the result of your send but it never came. "
        "Check /status, or on VMS: '마이페이지 › 1365연계 결과조회'."
    ),
    "command.send": "Send VMS records to 1365",
    "send.not_linked": "To send records, link your VMS account first: press the button below or /link.",
    "send.vms_consent_missing": (
        "You have not consented to linkage on VMS, so nothing can be sent. Nothing was sent.\n"
        "Consent on 1365 first, then on VMS. The guide below shows how."
    ),
    "send.vms_consent_missing.vms_only": (
        "You have not consented to linkage on VMS, so nothing can be sent. Nothing was sent.\n"
        "Your 1365 consent is in place: now consent on VMS. The guide below shows how."
    ),
    "send.too_soon": (
        "VMS lets you send once an hour. Nothing was sent this time.\n"
        "You can send from {time} ({left} left)."
    ),
    "send.in_progress": (
        "I am still checking whether your last send was accepted. I will tell you as soon as "
        "I know."
    ),
    "send.nothing": "There is nothing to send: no unsent or failed records.",
    "send.unavailable": (
        "The VMS linkage server cannot be reached right now. Nothing was sent and your "
        "hourly send is still unused.\nPlease try /send again in a little while."
    ),
    "send.what.unsent": "{unsent} unsent record(s)",
    "send.what.failed": "{failed} failed record(s)",
    "send.what.both": "{unsent} unsent and {failed} failed record(s)",
    "send.confirm": "Send {what} ({total} in all) to 1365?",
    "send.warn_1365": (
        "You have not consented on 1365. If you send now, {what} ({total} in all) will "
        "<b>all fail</b>.\nBetter consent on 1365 first. See the guide?"
    ),
    "send.confirm_anyway": (
        "Really send? Without the 1365 consent every record fails, and you cannot send again "
        "for an hour."
    ),
    "send.warn_account": (
        "Your 1365 account cannot be found. If you send now, {what} ({total} in all) will "
        "<b>all fail</b>.\nBetter sign up on 1365 again (or log in) and give the 1365 consent "
        "first. See how?"
    ),
    "send.warn_identity": (
        "Your last send failed because your identity details did not match. Until you reset the "
        "consent on 1365 ('정보제공 동의 초기화') and consent again with your new resident "
        "registration number, {what} ({total} in all) will <b>all fail</b> again.\n"
        "If you have already reset and consented again, press 'Send anyway'."
    ),
    "send.confirm_anyway.account": (
        "Really send? Without a 1365 account every record fails, and you cannot send again "
        "for an hour."
    ),
    "send.confirm_anyway.identity": (
        "Really send? If you have not reset the consent yet, every record fails again, and you "
        "cannot send again for an hour."
    ),
    "send.sending": "Sending…",
    "send.sent": "Sent to 1365. Results take a little while; I will tell you when they are in.",
    "send.sent_already": "This was sent already. I will tell you when the results are in.",
    "send.settling": (
        "The VMS linkage server answered too slowly to know whether it took the send. It will "
        "not be sent twice; I will tell you when I know."
    ),
    "send.cancelled": "Nothing was sent.",
    "send.button.send": "Send",
    "send.button.cancel": "Cancel",
    "send.button.guide_1365": "📋 How to give the 1365 consent",
    "send.button.guide_vms": "📋 How to give the VMS consent",
    "send.button.guide_reset": "📋 How to reset the consent",
    "send.button.anyway": "Send anyway",
    "send.button.anyway_sure": "Yes, send anyway",
    "send.button.resend": "🔁 Resend the {count} failed",
    "send.button.open_1365": "🌐 Open 1365",
    "send.button.resend_record": "🔁 Send this record again",
    "send.button.resend_failed": "🔁 Send all failed records again",
    "send.button.nudge_send": "📤 Send my records to 1365",
    "send.record_unknown": (
        "I can't find that record. The list may have changed: check /status again."
    ),
    "send.nudge": "{count} new volunteer record(s) came into VMS. Send them to 1365?",
    "send.result.head": "The 1365 results are in.",
    "send.result.succeeded": "✅ {count} succeeded: visible on 1365 from {time}.",
    "send.result.succeeded_now": "✅ {count} succeeded",
    "send.result.failed": "❌ {count} failed",
    "send.reason.consent_1365_missing": (
        "• No linkage consent on 1365 ({count}). Consent on 1365, then send again."
    ),
    "send.reason.account_1365_not_found": (
        "• No 1365 account found ({count}); it may have been deleted for dormancy. Sign up or "
        "log in on 1365, consent, then send again."
    ),
    "send.reason.identity_mismatch": (
        "• Your details on 1365 and VMS do not match ({count}). If your resident number "
        "changed, use '정보제공 동의 초기화' on 1365, redo the real-name check, consent, "
        "then send again."
    ),
    "send.reason.duplicate": "• Already on 1365 ({count}). Nothing to do.",
    "send.reason.portal_error": "• A 1365 error ({count}). Please send again in an hour.",
    "send.reason.other": "• Failed ({count}): {message}",
    "send.result.refused": "Your last send was not accepted. Nothing went to 1365.",
    "send.result.refused_until": (
        "Your last send was not accepted. Nothing went to 1365.\nYou can send again from {time}."
    ),
    "send.result.unknowable": (
        "I can no longer find out whether your last send was accepted: the VMS link is gone. "
        "It may have reached 1365, so please check on VMS: '마이페이지 › 1365연계 결과조회'."
    ),
    "send.result.unknowable_accepted": (
        "Your last send was accepted, but the VMS link is gone, so I can't fetch its result. "
        "Please check on VMS: '마이페이지 › 1365연계 결과조회'."
    ),
    "send.visible": (
        "Have a look on 1365 now! The {count} record(s) you sent show in your 1365 history."
    ),
    "send.visible.record": "• {date} {host} — {activity} ({hours})",
    "send.visible.more": "… and {count} more",
}
