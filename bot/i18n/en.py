"""English texts. Keys must match ko.py; {name} marks a placeholder."""

TEXTS: dict[str, str] = {
    # Start and help
    "start.greeting": (
        "Hello, {name}! I'm <b>연계도우미</b>, the linkage helper.\n\n"
        "Hours you volunteer at social-welfare facilities are recorded in VMS. "
        "To get them onto the 1365 Volunteer Portal (and from there into school NEIS records), "
        "you must <b>consent on both sites</b> and then send the records from VMS to 1365.\n\n"
        "We'll go through it one step at a time. Choose below."
    ),
    "start.returning": "Hello, {name}! Here is where you stand.\n\n{pair}\n{consents}",
    "start.returning.unavailable": (
        "Hello, {name}!\n\n{pair}\n\n"
        "I can't reach the VMS linkage server right now, so I couldn't check your consents. "
        "Press 'Linkage status' again in a little while."
    ),
    "start.deeplink_unknown": "I couldn't find what that link pointed to, so here is the start menu.",
    "help.body": (
        "<b>How to use me</b>\n"
        "/start — start menu\n"
        "/help — this help\n"
        "/howto — step-by-step consent guide for both sites\n"
        "{vms_lines}"
        "/settings — language and notifications\n"
        "/lang — change language (한국어/English)\n"
        "/privacy — privacy (/unlink to unlink, /forget to delete everything)\n"
        "/cancel — stop what is in progress\n\n"
        "Consent on <b>1365 first</b>, then on VMS, or sending will fail. "
        "VMS lets you send once an hour, and records sent successfully show on 1365 "
        "after a full 24 hours.\n\n"
        "You can also just ask, e.g. 'my records won't send'.\n\n"
        "⚠️ Never send your resident registration number. This bot never needs it.\n\n"
        "{contact}"
    ),
    "help.vms_lines": (
        "/link — link your VMS account\n"
        "/status — consents, records and send results\n"
        "/send — send your VMS records to 1365\n"
    ),
    # Guide mode: this bot is not connected to VMS.
    "help.vms_lines.guide_mode": (
        "/link — why this bot isn't connected to VMS, and how to do it on the sites\n"
        "/status — how to check your records and send results on VMS yourself\n"
        "/send — how to send your records on VMS yourself, and '📤 I sent it on VMS'\n"
    ),
    # Shown to staff only.
    "help.staff_lines": (
        "\n\n<b>Staff commands</b>\n"
        "/broadcast — send a notice to volunteers\n"
        "/remind — scheduled reminders\n"
        "/stats — statistics\n"
        "/staff — staff list, invites and revoking them, log\n"
        "To answer a volunteer's question, reply to the question's message."
    ),
    "contact.set": "☎️ <b>Your volunteer center</b>\n{contact}",
    "contact.unset": (
        "☎️ For anything else, please contact your volunteer center or the place you volunteered "
        "at. Their contact details are on the center's notices or website."
    ),
    "button.howto": "📋 How to link",
    "button.link": "🔗 Link my VMS account",
    "button.help": "❓ Help",
    "button.settings": "⚙️ Settings",
    "button.language": "🌐 언어 / Language",
    "button.send": "📤 Send my records to 1365",
    "button.open_1365": "🌐 Open the 1365 portal",
    "button.open_vms": "🌐 Open the VMS site",
    "button.center": "☎️ Contact the center",
    "button.questions": "💬 Common questions",
    "button.open_private": "Open a private chat",
    "button.back": "◀ Back",
    "button.close": "Close",
    "lang.prompt": "Choose your language.",
    "lang.set": "I'll talk to you in English from now on.",
    "lang.name.ko": "한국어",
    "lang.name.en": "English",
    "settings.menu": (
        "<b>Settings</b>\n"
        "Language: {language}\n"
        "Center notices: {reminders}\n"
        "New-record alerts: {nudges}\n\n"
        "Choose what to change."
    ),
    "settings.reminders.on": "on",
    "settings.reminders.off": "off",
    "settings.button.reminders_on": "🔔 Turn center notices on",
    "settings.button.reminders_off": "🔕 Turn center notices off",
    "settings.reminders_now_on": "Center notices are on: you'll get your center's notices.",
    "settings.reminders_now_off": "Center notices are off: your center's notices won't reach you any more.",
    "settings.button.nudges_on": "🆕 Turn new-record alerts on",
    "settings.button.nudges_off": "🆕 Turn new-record alerts off",
    "settings.nudges_now_on": "New-record alerts are on: at most once a day when VMS has new records.",
    "settings.nudges_now_off": "New-record alerts are off.",
    "settings.closed": "Settings closed.",
    "cancel.done": "Stopped. To do something else, press /start.",
    "flow.expired": "What you started a while ago has been closed. To start again, press /start.",
    "cancel.nothing": "Nothing is in progress. To see the menu, press /start.",
    "fallback.unknown_command": "I don't know the command {command}. /help lists the ones I do.",
    "fallback.text": "Please carry on with the buttons on the message above. To stop, press /cancel.",
    "fallback.settings_text": "Use the buttons on the message above to change settings, or /cancel to stop.",
    "callback.stale": "This button no longer works. Press /start to open a fresh menu.",
    "group.private_only": (
        "Linking volunteer hours needs personal details, so I only help in a private chat. "
        "Press the button below to start one with me."
    ),
    "privacy.rrn_blocked": (
        "⚠️ That looked like a resident registration number, so I deleted the message and "
        "stored nothing.\nThis bot never needs it. Please don't send it again."
    ),
    "privacy.rrn_blocked_not_deleted": (
        "⚠️ That looked like a resident registration number. I stored nothing, but I couldn't "
        "delete the message: please delete it yourself. This bot never needs it."
    ),
    "privacy.password_blocked": (
        "⚠️ That message may hold a password, so I deleted it. Nothing was kept.\n"
        "This bot never needs a password: to link your account, send your VMS ID only."
    ),
    "privacy.password_blocked_not_deleted": (
        "⚠️ That message may hold a password. I kept nothing, but I could not delete it: "
        "please delete it yourself. This bot never needs a password."
    ),
    "error.generic": "Sorry, something went wrong on my side. Please try again in a moment.",
    "command.start": "Start menu",
    "command.help": "How to use this bot",
    "command.howto": "Step-by-step consent guide",
    "command.settings": "Language and notifications",
    "command.lang": "Change language (한국어/English)",
    "command.cancel": "Stop what is in progress",
}
