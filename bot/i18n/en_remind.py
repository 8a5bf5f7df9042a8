"""English texts of /remind. Keys must match ko_remind.py."""

TEXTS: dict[str, str] = {
    "remind.list": "<b>Scheduled reminders</b>\n\n{lines}",
    "remind.list.empty": "No scheduled reminders yet.",
    "remind.line": ("<b>#{id}</b> · {schedule} · {state}\n“{text}”\n{segment}{language}\n{next}"),
    "remind.line.language": " · {language}",
    "remind.next": "Next: {when}",
    "remind.next.none": "No next run",
    "remind.state.active": "on",
    "remind.state.paused": "paused",
    "remind.state.done": "finished",
    "remind.state.skipped": "skipped (not sent)",
    "remind.skipped": "⏭ It was due {when}, but the bot was down for over a day, so it was skipped, not sent.",
    "remind.skipped.empty": "⏭ It was due {when}, but nobody was in its audience, so it was skipped, not sent.",
    "remind.skipped.tell": (
        "⏭ <b>Reminder #{id} skipped</b>\n"
        "It was due {when}, but the bot was down for over a day, so it was not sent. "
        "A reminder more than a day late is skipped so it doesn't arrive at an odd time.\n{next}"
    ),
    "remind.schedule.monthly": "monthly on day {day} at {time}",
    "remind.schedule.monthly_short": (
        "monthly on day {day} at {time} (the last day in shorter months)"
    ),
    "remind.schedule.weekly": "every {weekday} at {time}",
    "remind.schedule.once": "once, {date}, {time}",
    "remind.weekday.0": "Monday",
    "remind.weekday.1": "Tuesday",
    "remind.weekday.2": "Wednesday",
    "remind.weekday.3": "Thursday",
    "remind.weekday.4": "Friday",
    "remind.weekday.5": "Saturday",
    "remind.weekday.6": "Sunday",
    "remind.offer_default": (
        "\n\nYou can create the center's default reminder: on the 25th of every month at"
        " 10 AM, to volunteers with unsent or failed records, this text:\n"
        "<blockquote>{text}</blockquote>"
    ),
    "remind.default.text": (
        "Have you sent this month's volunteer records to 1365? If not, /send does it now."
    ),
    "remind.button.default": "⭐ Create the default reminder",
    "remind.button.new": "➕ New reminder",
    "remind.button.pause": "⏸ Pause #{id}",
    "remind.button.resume": "▶️ Resume #{id}",
    "remind.button.delete": "🗑 Delete #{id}",
    "remind.button.delete_yes": "Yes, delete it",
    "remind.button.monthly": "Monthly",
    "remind.button.weekly": "Weekly",
    "remind.button.once": "Once",
    "remind.button.create": "Create · {count} now",
    "remind.delete_confirm": "Delete reminder #{id}? Reminders already sent stay as they are.",
    "remind.paused": "Reminder paused.",
    "remind.resumed": "Reminder resumed.",
    "remind.deleted": "Reminder deleted.",
    "remind.gone": "This reminder has changed. Here is the list again.",
    "remind.ask_repeat": "<b>New reminder</b>\nWhen should it go out?",
    "remind.ask_monthly": (
        "On which day of the month, at what time? Write a day (1–31) and a time like"
        " <code>25 10:00</code> (24-hour, Korea time)."
    ),
    "remind.ask_weekday": "On which weekday?",
    "remind.ask_time": "At what time on {weekday}? Write it like <code>10:00</code> (24-hour, Korea time).",
    "remind.ask_once": "When? Write a date and time like <code>2026-12-25 10:00</code> (Korea time).",
    "remind.bad_monthly": "Please write a day (1–31) and a time (00:00–23:59) like <code>25 10:00</code>.",
    "remind.bad_time": "Please write a time (00:00–23:59) like <code>10:00</code>.",
    "remind.bad_once": "Please write a date and time like <code>2026-12-25 10:00</code>.",
    "remind.past": "That time has passed. Please write a date and time in the future.",
    "remind.ask_audience": (
        "<b>{schedule}</b>\nWho should get it? As a reminder it skips volunteers who turned"
        " center notices off. The numbers are who would receive it now.\n\n{lines}\n\n"
        "Language: {language}"
    ),
    "remind.ask_text": "<b>{schedule}</b> · {segment} · {language}\n\nPlease write the text.\n\n{howto}",
    "remind.confirm": (
        "<b>{schedule}</b>\n{segment} · {language}\n"
        "Would receive it now: <b>{recipients}</b>{notes}\n"
        "First run: {first}\n{texts}\n\nCreate it?"
    ),
    "remind.created": "Reminder #{id} created. Its first run is {first}.",
    "remind.closed": "Closed the reminders.",
    "remind.cancelled": "No reminder was created.",
    "remind.expired": "Creating the reminder timed out. Start again with /remind.",
}
