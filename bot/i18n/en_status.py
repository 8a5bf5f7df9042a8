"""English: linkage status (/status) and the record list. Keys must match ko_status.py."""

TEXTS: dict[str, str] = {
    "command.status": "Linkage status and records",
    "button.status": "📊 Linkage status",
    # Status
    "status.title": "<b>📊 1365 linkage status</b>",
    "status.not_linked": (
        "No VMS account is linked yet.\n"
        "Once linked, you can see your consents, records and send results here."
    ),
    "status.unavailable": (
        "The VMS linkage server cannot be reached right now, and nothing is saved yet.\n"
        "Please check again with /status in a little while."
    ),
    "status.stale": "⚠️ The VMS linkage server cannot be reached right now; showing saved information.",
    "status.as_of": "As of {time}",
    "status.age.now": "Just fetched.",
    "status.age.minutes": "Fetched {minutes} min ago.",
    "status.age.hours": "Fetched {hours} h ago.",
    "status.age.days": "Fetched {days} days ago.",
    # Consent lines, 1365 first; names from guide.consent.* (the sites' own names)
    "status.consent.agreed": "✅ {consent}: agreed on {date}.",
    "status.consent.agreed_undated": "✅ {consent}: agreed.",
    "status.consent.missing": "❌ {consent}: not given yet.",
    "status.consent.void_account": "⚠️ {consent}: your 1365 account is gone, so give it again.",
    "status.consent.void_unknown": "⚠️ {consent}: your 1365 account's state is unknown.",
    "status.consent.void_identity": (
        "⚠️ {consent}: your resident registration number changed, so reset it and give it again."
    ),
    "status.account.not_found": (
        "⚠️ Your 1365 account cannot be found. It may have been deleted after a year unused, or never created.\n"
        "→ Sign up (or log in) to 1365 again, consent, then send again."
    ),
    "status.account.other": (
        "⚠️ Your 1365 account state is unknown here.\n"
        "→ Log in to 1365 and check your account and consent."
    ),
    "status.records.title": "<b>Volunteer records</b>",
    "status.records.none": "No volunteer records in VMS yet.",
    "status.count.total": "{count} records, {hours} in all",
    "status.count.total_without_duplicates": (
        "{count} records, {hours} in all (not counting {duplicates} duplicates 1365 already had)"
    ),
    "status.count.unsent": "📤 Unsent {count} ({hours})",
    "status.count.pending": "⏳ Waiting for a result {count} ({hours})",
    "status.count.succeeded": "✅ Sent successfully {count} ({hours})",
    "status.count.visible_from": "   {count} visible on 1365 from {time}.",
    "status.count.visible_some": "   {count} visible on 1365 now.",
    "status.count.visible_now": "   Visible on 1365 now.",
    "status.count.failed": "❌ Failed {count} ({hours})",
    "status.count.top_reason": "   Main reason: {reason}",
    "status.count.duplicates": "   {count} of them are duplicates already on 1365: nothing to do.",
    "status.send.now": "🕐 You can send now.",
    "status.send.refused": "🕐 Sending needs your VMS consent first.",
    "status.send.refused_both": (
        "🕐 Sending needs the 1365 information-sharing consent first, then the VMS consent."
    ),
    "status.send.would_fail": "🕐 If you send now, every record will fail. Do the next step below first.",
    "status.send.later": "🕐 You can send from {time} ({minutes} min left).",
    "status.send.later_date": "🕐 You can send from {time}.",
    # The one next step
    "status.next.title": "<b>Next step</b>",
    "status.next.link": "👉 Link your VMS account first.",
    "status.next.consent_1365": (
        "👉 Consent to information sharing on 1365. The 1365 consent must come first for records to go through."
    ),
    "status.next.consent_vms": "👉 Consent to the 1365 linkage on VMS.",
    "status.next.fix_account": "👉 Sign up or log in to 1365 again, and consent to information sharing.",
    "status.next.fix_identity": (
        "👉 On 1365, press '정보제공 동의 초기화' (reset consent), verify your name with your new "
        "resident number, and consent again. Then resend the failed records."
    ),
    "status.next.resend_failed": "👉 Resend the {count} failed records.",
    "status.next.send_unsent": "👉 Send the {count} unsent records to 1365.",
    "status.next.resend_later": (
        "👉 Send the {count} failed records again. VMS allows one send an hour: you can send from {time}."
    ),
    "status.next.send_later": (
        "👉 {count} unsent records are left. VMS allows one send an hour: you can send from {time}."
    ),
    "status.next.wait_results": "👉 Waiting for the results. Press 🔄 Refresh in a while.",
    "status.next.wait_visible": (
        "👉 {count} sent records are on their way to 1365. "
        "You can see them on the 1365 Volunteer Portal from {time}."
    ),
    "status.next.look_on_1365": "👉 Check your records on the 1365 Volunteer Portal.",
    "status.next.nothing": "👉 Nothing to do right now. Check again when you have new records.",
    "status.button.refresh": "🔄 Refresh",
    "status.button.list": "📋 Records",
    "status.button.link": "🔗 Link my VMS account",
    "status.button.guide_reset": "📋 How to reset the consent",
    "status.button.open_1365": "🌐 Open the 1365 portal",
    "status.button.resend": "🔁 Resend the {count} failed",
    "status.button.resend_only": "🔁 Resend only the {count} failed",
    "status.button.send_all": "📤 Send all, the {count} unsent too",
    "status.button.send": "📤 Send the {count} unsent",
    "status.refresh.too_soon": "Just refreshed. You can refresh again in {seconds} s.",
    "status.refresh.unavailable": "The VMS linkage server cannot be reached right now; showing saved information.",
    # Record list
    "status.list.title": "<b>📋 Records</b> · {filter} {total} · page {page}/{pages}",
    "status.list.empty": "No records match.",
    "status.list.filter.unsent": "Unsent",
    "status.list.filter.failed": "Failed",
    "status.list.filter.all": "All",
    "status.list.item": "<b>{n}.</b> {date} · {hours} · {kind}\n🏢 {host}\n📝 {activity}\n{result}",
    "status.list.short_hours": "   ⚠️ Under one hour: NEIS will not show it.",
    "status.list.hint": "Press a number to see the whole record.",
    "status.list.back": "◀ Status",
    "status.list.prev": "◀ Previous",
    "status.list.next": "Next ▶",
    "status.list.gone": "The list has changed. Open it again with /status.",
    "status.list.no_cache": "The records are not fetched yet. Open /status first.",
    "status.result.unsent": "📤 Unsent",
    "status.result.pending": "⏳ Sent {sent} · waiting for the result",
    "status.result.succeeded": "✅ Sent {sent} · succeeded",
    "status.result.failed": "❌ Sent {sent} · failed",
    "status.result.other": "❔ {sent} · unknown state",
    "status.result.not_sent": "not sent",
    # One record
    "status.record.title": "<b>Record details</b>",
    "status.record.body": (
        "Date: {date}\n"
        "Host: {host}\n"
        "Activity: {activity}\n"
        "Time: {hours}\n"
        "Kind: {kind}\n"
        "Sent: {sent}\n"
        "Result: {result}"
    ),
    "status.record.visible_from": "Visible on 1365 from {time}.",
    "status.record.visible_now": "Visible on 1365 now.",
    "status.record.back": "◀ List",
    "status.record.gone": "This record cannot be found. Open the list again with /status.",
    # Failure reasons in plain words, with the fix
    "status.reason.consent_1365_missing": (
        "The 1365 information-sharing consent is missing, so it did not go through.\n"
        "→ Consent on 1365, then send again."
    ),
    "status.reason.consent_1365_missing.given_since": (
        "These were sent before your 1365 consent, so they didn't go through.\n"
        "→ Your 1365 consent is confirmed now: send the failed records again."
    ),
    "status.reason.consent_1365_missing.short": "no 1365 consent",
    "status.reason.account_1365_not_found": (
        "1365 has no matching member: the account may have been deleted for dormancy or never created.\n"
        "→ Sign up (or log in) to 1365 again, consent, then send again."
    ),
    "status.reason.account_1365_not_found.short": "1365 account not found",
    "status.reason.identity_mismatch": (
        "The real-name details do not match; this happens after a resident-number change.\n"
        "→ On 1365, press '정보제공 동의 초기화' (reset consent), verify with the new number, consent again and resend."
    ),
    "status.reason.identity_mismatch.short": "real-name details do not match",
    "status.reason.duplicate": ("This record is already on 1365.\n→ Nothing to do."),
    "status.reason.duplicate.short": "already on 1365",
    "status.reason.portal_error": (
        "The 1365 portal had a temporary error.\n→ Send again a little later."
    ),
    "status.reason.portal_error.short": "temporary 1365 portal error",
    "status.reason.other": "It did not go through to 1365. The portal says: {message}",
    "status.reason.other.short": "other reason",
}
