"""Trial mode (VMS_GATEWAY_URL=sandbox) and the retirement of the sandbox gateway's data."""

TEXTS: dict[str, str] = {
    "trial.line": "🧪 Trial data: this bot's VMS and 1365 information is simulated, not real.",
    "trial.farewell": (
        "Something you should know: the VMS link, consents, volunteer records and send "
        "results you saw in this bot so far were <b>simulated trial data</b>. Nothing reached "
        "the real VMS or 1365.\n\n"
        "So that link and those records have been removed. Please check your real hours on "
        "the VMS and 1365 websites. /help shows what this bot can do for you."
    ),
}
