"""English texts of the center-staff features. Keys must match ko_staff.py."""

TEXTS: dict[str, str] = {
    "staff.only": "Only center staff can use this command.",
    "staff.only_button": "Only center staff can use this button.",
    # the staff command menu (shown in staff chats only)
    "staff.command.staff": "Staff list, invites and revoking them, log",
    "staff.command.broadcast": "Send a notice to volunteers",
    "staff.command.remind": "Scheduled reminders",
    "staff.command.stats": "Statistics",
    # /staff
    "staff.list.title": "<b>Center staff</b>",
    "staff.list.admin": "• {name} — admin",
    "staff.list.member": "• {name} — staff (since {date})",
    "staff.list.none": "Nobody has been invited as staff yet.",
    "staff.list.admin_hint": (
        "Invite someone: /staff invite\nOpen invites, to revoke: /staff invites\n"
        "Recent actions: /staff log"
    ),
    "staff.usage": "You can use /staff, /staff invite, /staff invites and /staff log.",
    "staff.button.remove": "Remove: {name}",
    "staff.button.log": "Recent actions",
    "staff.button.remove_yes": "Yes, remove",
    "staff.button.remove_no": "No",
    "staff.remove.confirm": ("Remove {name} from the staff? They lose the staff commands at once."),
    "staff.remove.done": "{name} is no longer staff.",
    "staff.remove.gone": "They are not staff any more.",
    "staff.remove.kept": "Nobody was removed.",
    "staff.admin_only": "Only admins can do this.",
    "staff.invite.admin_only": "Only admins can invite staff. Please ask an admin.",
    "staff.invite.created": (
        "Send this link to the new staff member. It works once, until {expires}.\n\n{link}"
    ),
    "staff.invites.title": "<b>Invite links that still work</b>",
    "staff.invites.line": "• until {expires} · made by {name}",
    "staff.invites.none": "No invite link works right now. To make one: /staff invite",
    "staff.invites.revoke": "Revoke the one until {expires}",
    "staff.invites.revoked": "The invite link was revoked: nobody can join with it now.",
    "staff.invites.gone": "That invite was already used, expired or revoked.",
    "staff.join.joined": "You are now center staff. The staff commands are in your command menu.",
    "staff.join.already": "You are already center staff.",
    "staff.join.refused": (
        "This invite link can't be used: it may have been used already, expired or been "
        "revoked. Please ask a center admin for a new one."
    ),
    # /staff log
    "staff.log.title": "<b>Recent staff actions</b>",
    "staff.log.empty": "Nothing recorded yet.",
    "staff.log.line": "• {when} · {actor} · {what}",
    "staff.log.actor_gone": "a deleted user",
    "staff.log.actor_bot": "the bot (automatic)",
    "staff.log.staff.add": "added staff member {member}",
    "staff.log.staff.remove": "removed staff member {member}",
    "staff.log.staff.invite": "created an invite link",
    "staff.log.staff.join": "joined through an invite link",
    "staff.log.staff.invite.revoke": "revoked an invite link",
    "staff.log.help.answer": "answered request #{request}",
    "staff.log.help.undelivered": "could not deliver the answer to request #{request}",
    "staff.log.broadcast.launch": "started notice #{broadcast} ({recipients} recipients)",
    "staff.log.broadcast.cancel": "stopped notice #{broadcast} ({sent} sent, {queued} left)",
    "staff.log.broadcast.done": (
        "finished notice #{broadcast} ({sent} sent, {failed} failed, {blocked} blocked)"
    ),
    "staff.log.broadcast.cancelled": (
        "notice #{broadcast} stopped ({sent} sent, {queued} not sent)"
    ),
    "staff.log.broadcast.resend": (
        "resent notice #{of} to its unconfirmed as notice #{broadcast} ({recipients} recipients)"
    ),
    "staff.log.broadcast.aborted": (
        "notice #{broadcast} aborted: Telegram refused the message ({sent} sent)"
    ),
    "staff.log.reminder.create": "created reminder #{reminder}",
    "staff.log.reminder.pause": "paused reminder #{reminder}",
    "staff.log.reminder.resume": "resumed reminder #{reminder}",
    "staff.log.reminder.delete": "deleted reminder #{reminder}",
    "staff.log.reminder.skip": "skipped reminder #{reminder}: the bot was down for over a day, {missed} run(s) not sent",
    "staff.log.reminder.skip_empty": "skipped reminder #{reminder}: nobody was in its audience, not sent",
    "staff.log.stats.view": "viewed the statistics",
    "staff.log.desk.lookup": "looked a volunteer up in the staff desk",
    "staff.log.other": "{action}",
    # ask the center (volunteer side)
    "help.button.ask": "✍️ Write to the center",
    "help.ask.prompt": (
        "Write your question for the center staff in one message. Please leave out your "
        "resident registration number.\nTo stop, send /cancel."
    ),
    "help.ask.sent": "Sent to the center. When a staff member answers, you'll get it here.",
    "help.ask.too_many": (
        "You have {count} questions still waiting for an answer. Please ask again once "
        "they are answered."
    ),
    "help.ask.too_soon": (
        "You can send one question every 10 minutes. Please try again in {minutes} min."
    ),
    "help.ask.too_long": (
        "That question is too long: the message staff get would be {over} characters over "
        "Telegram's limit of {limit} for one message. Please shorten it by at least {over} and "
        "send it again. Telegram counts some characters, such as emoji, as two."
    ),
    "help.ask.text_only": "Please write your question as text.",
    "help.ask.kept": (
        "I couldn't pass your question to the center's staff just now. I'll keep it until {until} "
        "and try again. You'll hear here when someone answers, or if nobody has by then."
    ),
    "help.ask.delivered_late": (
        "Your question (request #{id}) has now reached the center's staff. "
        "You'll get the answer here."
    ),
    "help.ask.expired_unanswered": (
        "Nobody answered the question you left on {when} within 14 days, so I closed it and "
        "deleted its text. If you still need help, ask again from /help."
    ),
    "help.ask.no_staff": (
        "This bot can't pass questions to the center's staff right now. "
        "Please ask the center using the contact below."
    ),
    "help.ask.no_staff_no_contact": (
        "This bot has no center staff to take questions yet, so you can't leave one here. "
        "Below are answers to common questions and the consent guide. "
        "If they don't solve it, please ask your volunteer center or the organization "
        "you volunteered with."
    ),
    "help.ask.expired": "Your question was left unfinished for a long time, so I closed it. "
    "Start again from /help.",
    # ask the center (staff side)
    "help.staff.copy": (
        "<b>📩 Request #{id}</b>\n{asker}\n\n{question}\n\n"
        "<i>Reply to this message to answer the volunteer. The answer goes as plain text"
        " (bold, links and other formatting are dropped).</i>"
    ),
    "help.staff.not_linked": "VMS account: not linked",
    "help.staff.linked": "VMS ID: {vms_id}",
    "help.staff.consents": "Consents: 1365 {consent_1365} · VMS {consent_vms}",
    "help.staff.agreed": "done",
    "help.staff.not_agreed": "missing",
    "help.staff.account_gone": "account gone",
    "help.staff.counts": "Unsent {unsent} · failed {failed} (as of {when})",
    "help.staff.no_status": "Records: never looked up",
    "help.answer.to_volunteer": "<b>Answer from the center</b> (request #{id})\n\n{answer}",
    "help.answer.relayed": "Your answer was passed on to the volunteer.",
    "help.answer.by_other": "{name} answered this request.",
    "help.answer.expired": (
        "This request closed after 14 days without an answer. The volunteer was told, "
        "and the question's text was deleted."
    ),
    "help.answer.already": (
        "This request was already answered, so this reply did not go to the volunteer. "
        "A request takes one answer."
    ),
    "help.answer.undelivered": (
        "The connection to Telegram failed, so the answer may not have reached the volunteer. "
        "The request stays open. Please reply again in a little while."
    ),
    "help.answer.rejected": (
        "Telegram refused this answer, so it was not passed on. Telegram said: {reason}\n"
        "The request stays open. Please fix the answer and reply again."
    ),
    "help.answer.account_gone": (
        "The volunteer's Telegram account or chat no longer exists, so the answer could not "
        "be passed on. If they write to the bot again, you can answer this request again."
    ),
    "help.answer.blocked": (
        "The volunteer has blocked the bot, so the answer could not be passed on. If they "
        "write to the bot again, you can answer this request again."
    ),
    "help.answer.gone": (
        "This request no longer exists. The volunteer may have erased their data from the bot."
    ),
    "help.answer.too_long": (
        "That answer is too long: the message the volunteer gets would be {over} characters "
        "over Telegram's limit of {limit} for one message. Please shorten it by at least "
        "{over} and reply again. Telegram counts some characters, such as emoji, as two."
    ),
    "help.answer.text_only": "Please answer with text.",
}
