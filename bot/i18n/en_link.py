"""English: linking (/link), /unlink, /forget and /privacy."""

TEXTS: dict[str, str] = {
    "link.ask_id": (
        "Let's link your VMS account.\n"
        "Send the <b>user ID</b> you log in to VMS (vms.or.kr) with. (Never send your password.)\n"
        "To stop, press /cancel."
    ),
    "link.ask_new_id": "Send your VMS user ID again. To stop, press /cancel.",
    "link.already": (
        "You are already linked.\n{pair}\n\n"
        "To switch to another VMS account, send its user ID. To keep this one, press /cancel."
    ),
    "link.bad_id": "A VMS user ID is 4–30 letters, digits, dots, underscores or hyphens. Please send it again. To stop, press /cancel.",
    "link.several_ids": (
        "I see more than one word that could be a user ID. Please send just your VMS user ID. "
        "To stop, press /cancel."
    ),
    "link.code_sent.sms": (
        "If this ID is registered with VMS, a 6-digit code goes to its registered phone ({destination}).\n"
        "Once it arrives, send me the code within {minutes} minutes.\n\n"
        "No code? Press 'No code came' below."
    ),
    "link.code_sent.email": (
        "If this ID is registered with VMS, a 6-digit code goes to its registered e-mail ({destination}).\n"
        "Once it arrives, send me the code within {minutes} minutes.\n\n"
        "No code? Press 'No code came' below."
    ),
    "link.code_resent": (
        "I asked for a new code. The one you got before no longer works: send the newest one."
    ),
    "link.code_asked_before": (
        "I already asked for a code for this ID. For a new one, press 'Send me a new code' below."
    ),
    "link.code_after_linked": (
        "You are already linked.\n{pair}\n\nTo switch to another VMS account, press /link."
    ),
    "link.button.no_code": "📭 No code came",
    "link.no_code": (
        "📭 <b>When no code comes</b>\n"
        "1. Check that the ID you sent above is exactly the one you log in to VMS with. "
        "No code goes to an ID VMS doesn't have, and this bot never tells which IDs exist.\n"
        "2. If the ID was wrong, press '✏️ Change the ID' and send it again.\n"
        "3. If you can't remember your ID, press 'Open the VMS site' below and find it there.\n"
        "4. If the ID is right, the text or e-mail may be late: wait a little, then press "
        "'🔁 Send me a new code'."
    ),
    "link.forgot_id.continue_id": "Once you know your ID, send it here. To stop, press /cancel.",
    "link.button.change_id": "✏️ Change the ID",
    "link.button.new_code": "🔁 Send me a new code",
    "link.bad_code": "The code is 6 digits. Please send the code you received.",
    "link.wrong_code": "That code is not right. Tries left: {attempts}.",
    "link.expired": "The code has expired. Press 'Send me a new code' below for a new one.",
    "link.locked": "Too many wrong codes, so this code can't be used any more. Press 'Send me a new code' below.",
    "link.too_many": (
        "No more codes can be sent right now. Please try again in {wait}. "
        "If you already have a code, you can still send it."
    ),
    "link.busy": (
        "Many people are asking for codes right now, so I can't send one for a while. "
        "Please try again in {wait}. If you already have a code, you can still send it."
    ),
    "link.guesses_used": (
        "Too many wrong codes, so I can't check any more for now. Please try again in {wait}.\n"
        "To link another ID, press /link."
    ),
    "link.unavailable": (
        "I can't reach the VMS linkage server right now. Nothing was saved.\n"
        "Please send it again in a little while. To stop, press /cancel."
    ),
    "link.done": "Linked! 🎉\n{pair}\n\n{consents}",
    "link.taken_over": (
        "Another Telegram account linked the VMS ID {vms_id}, so its link with this account has ended.\n"
        "If that wasn't you, change your VMS password and tell your volunteer center."
    ),
    "link.text_only": "Please send the ID and the code as text.",
    "link.pair": "VMS ID <code>{vms_id}</code> ↔ 1365 ID <code>{id_1365}</code>",
    "link.no_1365_id": "(none)",
    "link.consent.next": "Records move to 1365 only with consent on both sites. Consent on 1365 first.",
    "link.consent.next_vms": "The 1365 consent is done. Now consent on VMS.",
    "link.account_missing": (
        "⚠️ Your 1365 account can't be found. It may have been deleted after a year without use. "
        "Sign up on 1365 again and give consent."
    ),
    # A state the gateway added after this bot was written (contract v1.1: read as "other").
    "link.account_other": (
        "⚠️ Your 1365 account's state can't be shown here. Log in to 1365 to check your account and consent."
    ),
    "record.reason.other": "This record didn't reach 1365. The portal says: {message}",
    "link.date": "{year}-{month:02d}-{day:02d}",
    "link.cancelled": "Linking stopped. Nothing was saved.",
    "link.cancelled_kept": "Switching accounts stopped. Your current link stays as it is.\n{pair}",
    "link.stale": "Linking was started a while ago, so I stopped it. Press /link to try again.",
    "unlink.confirm": "Unlink this account?\n{pair}\n\nYour volunteer records on VMS and 1365 stay as they are.",
    "unlink.button.yes": "Unlink",
    "unlink.button.no": "Keep it",
    "unlink.done": "Unlinked. To link again, press the button below.",
    "unlink.kept": "The link stays.",
    "unlink.none": "No VMS account is linked. To link one, press the button below.",
    "unlink.stale": "This question was about an earlier link, so nothing changed. To unlink the current one, press /unlink.",
    "unlink.unavailable": "I can't reach the VMS linkage server, so nothing was unlinked. Please try again later.",
    "unlink.send_unsettled": (
        "I'm still finding out whether your last send to 1365 was accepted, so I didn't unlink: "
        "unlinking now would lose its result. Press /unlink again once I've told you the result."
    ),
    "forget.confirm": (
        "Delete <b>everything</b> this bot holds about you?\n"
        "Your language and notification settings, your VMS link, your guide progress and "
        "conversation state are deleted, and the link is revoked on the VMS side. This can't be undone.\n"
        "(Your volunteer records on VMS and 1365 are not affected.)\n"
        "Abuse counters (code requests, wrong codes, questions to the center) stay for one day, "
        "without your user number, and are then deleted."
    ),
    "forget.button.yes": "Yes, delete everything",
    "forget.button.no": "No",
    "forget.done": "Everything is deleted. You can delete this chat's messages in Telegram yourself. /start begins again any time.",
    "forget.done_in_flight": (
        "Everything is deleted. Your last send was already on its way, though, so it may still "
        "reach 1365; I can't tell you its result now, so please check on VMS: "
        "'마이페이지 › 1365연계 결과조회'.\n"
        "You can delete this chat's messages in Telegram yourself. /start begins again any time."
    ),
    "forget.stale": (
        "This button is too old, so nothing was deleted. To delete everything, press /forget again."
    ),
    "forget.kept": "Nothing was deleted.",
    "privacy.body": (
        "<b>Privacy</b>\n\n"
        "<b>What is kept</b>\n"
        "• your Telegram user number, language, notification setting, first and last use\n"
        "• the VMS ID you linked and your masked 1365 ID, and when you linked\n"
        "• your guide progress and conversation state\n"
        "• questions you leave for the center: their text is deleted once the answer reaches you, "
        "or after 14 days without one\n\n"
        "<b>What for</b>: to show your linkage status, send records for you and tell you the results.\n\n"
        "<b>Never kept</b>: resident registration numbers, passwords, phone numbers, e-mail addresses. "
        "A message with a resident registration number is deleted at once.\n\n"
        "<b>How long it is kept</b>: until you delete it. /unlink removes the link; /forget deletes everything "
        "this bot holds about you and revokes the link on the VMS side.\n"
        "To stop abuse, the times of code requests, wrong codes and questions to the center are kept "
        "for one day, without your Telegram user number or VMS ID; they are deleted after that day, "
        "/forget or not.\n\n"
        "The volunteer records themselves live on VMS and 1365, which manage them."
    ),
    "command.link": "Link your VMS account",
    "command.unlink": "Unlink your VMS account",
    "command.forget": "Delete all my data",
    "command.privacy": "Privacy",
}
