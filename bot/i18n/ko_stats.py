"""/stats(센터 현황)의 한국어 문장. 키는 en_stats.py와 같아야 합니다. 숫자는 "1,234" 꼴로 들어와요."""

TEXTS: dict[str, str] = {
    "stats.title": "📊 <b>센터 현황</b> ({at} 기준)",
    "stats.volunteers": "👥 <b>봉사자</b>\n• 이용 중 {active}명 · 봇 차단 {blocked}명\n• VMS 계정을 연결한 봉사자 {linked}명",
    "stats.consents": "✅ <b>연계 동의</b> (봉사자마다 마지막으로 현황을 확인한 때 기준)\n• 1365: 동의 {agreed_1365}명 · 미동의 {missing_1365}명\n• VMS: 동의 {agreed_vms}명 · 미동의 {missing_vms}명",
    "stats.consents.unknown": "• 아직 현황을 확인하지 않은 {unknown}명은 빼고 셌어요.",
    "stats.records": "📤 <b>실적과 전송</b>\n• 미전송 실적 {unsent}건 (마지막 현황 확인 기준)\n• 1365 전송: 최근 7일 {week}번 · 최근 30일 {month}번\n• 최근 30일 동안 1365에 올라간 실적 {succeeded}건",
    "stats.success_rate": "• 전송 성공률 {rate}% (성공 {succeeded}건 · 실패 {failed}건, 마지막 현황 확인 기준)",
    "stats.success_rate.none": "• 전송 성공률: 아직 결과가 나온 전송이 없어요.",
    "stats.reasons": "• 자주 실패한 이유",
    "stats.reason": "   {rank}. {reason}: {count}건",
    "stats.help_requests": "🙋 답을 기다리는 문의 {count}건",
    "stats.broadcasts": "📣 <b>최근 공지</b>",
    "stats.broadcasts.none": "📣 최근 공지가 없어요.",
    "stats.broadcast": "• {at}: 대상 {recipients}명 · 보냄 {sent}명 · 실패 {failed}명 · 차단 {blocked}명",
    "stats.broadcast.running": "• {at}: 대상 {recipients}명 · 보냄 {sent}명 · 실패 {failed}명 · 차단 {blocked}명 (보내는 중)",
    "stats.chart.caption": "📈 주간 전송 현황 — 최근 12주, 주마다 1365 전송 횟수와 실패한 실적 수예요.",
    "stats.chart.title": "주간 전송 현황 (최근 12주)",
    "stats.chart.sends": "1365 전송 (번)",
    "stats.chart.failures": "실패한 실적 (건)",
    "stats.chart.axis": "전송 횟수 · 실패 건수",
    "stats.chart.week": "{month}월 {day}일",
}
