"""English texts of sending a broadcast (progress, final report, stopping). Keys must match
ko_broadcast_run.py."""

TEXTS: dict[str, str] = {
    "broadcast_run.progress": (
        "📣 <b>Broadcast #{id}</b> is being sent\n"
        "Sent {sent} · failed {failed} · blocked {blocked} · remaining {remaining}\n"
        "{eta}"
    ),
    "broadcast_run.eta_seconds": "About {n} seconds to go.",
    "broadcast_run.eta_minutes": "About {n} minutes to go.",
    "broadcast_run.progress_done": (
        "📣 <b>Broadcast #{id}</b> is finished\n"
        "Sent {sent} · failed {failed} · blocked {blocked} · remaining {remaining}"
    ),
    "broadcast_run.progress_stopped": (
        "📣 <b>Broadcast #{id}</b> was stopped\n"
        "Sent {sent} · failed {failed} · blocked {blocked} · remaining {remaining}"
    ),
    "broadcast_run.report_done": "📣 Broadcast #{id} has been sent.",
    "broadcast_run.report_cancelled": (
        "📣 Broadcast #{id} was stopped. The {queued} people who had not received it yet won't."
    ),
    "broadcast_run.report_aborted": (
        "📣 Broadcast #{id} was stopped: Telegram refused the message.\n"
        "Telegram said: {reason}\nPlease fix the message and send it again."
    ),
    "broadcast_run.report_lines": (
        "Received: {sent}\n"
        "Could not be sent: {failed}\n"
        "Blocked the bot: {blocked}\n"
        "Deleted accounts or chats: {gone}"
    ),
    "broadcast_run.report_unknown": (
        "For {n} people we can't tell whether they received it (the connection broke or the bot "
        "stopped while sending). So nobody gets it twice, they were not sent it again. The "
        "button below sends it to just them, but anyone of them who did receive it gets it twice."
    ),
    "broadcast_run.resend.button": "Resend to the {n} unconfirmed",
    "broadcast_run.resend.confirm": (
        "📣 Broadcast #{id}: send it again to the {n} people we can't confirm received it?\n"
        "Anyone of them who did receive it will get it twice. People who have since blocked the "
        "bot or deleted their data, and, for a scheduled reminder, people who turned center "
        "notices off, are left out. It can be resent only once."
    ),
    "broadcast_run.resend.go": "Yes, resend to {n}",
    "broadcast_run.resend.no": "Don't resend",
    "broadcast_run.resend.kept": "Broadcast #{id}: not resent.",
    "broadcast_run.resend.launched": (
        "📣 Resending broadcast #{of} to the {n} unconfirmed people. The resend is broadcast #{id}."
    ),
    "broadcast_run.resend.already": "It was already resent (broadcast #{id}). A broadcast is resent only once.",
    "broadcast_run.resend.nobody": (
        "Nobody is left to resend to: the unconfirmed people may have blocked the bot or "
        "deleted their data since."
    ),
    "broadcast_run.resend.none": "That broadcast is still being sent or doesn't exist. It can be resent once it has finished.",
    "broadcast_run.cancelled": (
        "Broadcast #{id} was stopped. {sent} people already received it; the remaining "
        "{queued} won't."
    ),
    "broadcast_run.nothing_to_cancel": "No broadcast is being sent right now.",
    "broadcast_run.cancel_usage": "Please give the broadcast's number. Example: /broadcast cancel 12",
}
