"""English texts of /stats. Keys must match ko_stats.py. Numbers arrive formatted ("1,234")."""

TEXTS: dict[str, str] = {
    "stats.title": "📊 <b>Center overview</b> (as of {at})",
    "stats.volunteers": "👥 <b>Volunteers</b>\n• Using the bot: {active} · blocked the bot: {blocked}\n• Linked to VMS: {linked}",
    "stats.consents": "✅ <b>Consents</b> (as of each volunteer's last status check)\n• 1365: agreed {agreed_1365} · not yet {missing_1365}\n• VMS: agreed {agreed_vms} · not yet {missing_vms}",
    "stats.consents.unknown": "• {unknown} linked volunteers never checked their status and are not counted.",
    "stats.records": "📤 <b>Records and sends</b>\n• Unsent records: {unsent} (as of the last status checks)\n• Sends to 1365: {week} in the last 7 days · {month} in the last 30 days\n• Records that reached 1365 in the last 30 days: {succeeded}",
    "stats.success_rate": "• Success rate {rate}% ({succeeded} succeeded · {failed} failed, as of the last status checks)",
    "stats.success_rate.none": "• Success rate: no send has a result yet.",
    "stats.reasons": "• Most common failure reasons",
    "stats.reason": "   {rank}. {reason}: {count}",
    "stats.help_requests": "🙋 Questions waiting for an answer: {count}",
    "stats.broadcasts": "📣 <b>Recent notices</b>",
    "stats.broadcasts.none": "📣 No recent notices.",
    "stats.broadcast": "• {at}: {recipients} recipients · {sent} sent · {failed} failed · {blocked} blocked",
    "stats.broadcast.running": "• {at}: {recipients} recipients · {sent} sent · {failed} failed · {blocked} blocked (still sending)",
    "stats.chart.caption": "📈 Weekly sends — the last 12 weeks: sends to 1365 and failed records per week.",
    "stats.chart.title": "Weekly sends (last 12 weeks)",
    "stats.chart.sends": "Sends to 1365",
    "stats.chart.failures": "Failed records",
    "stats.chart.axis": "sends · failed records",
    "stats.chart.week": "{month}/{day}",
}
