"""한국어 시간·날짜 표기. 키는 en_formats.py와 같아야 합니다."""

TEXTS: dict[str, str] = {
    # 봉사시간: "7시간 30분", "2시간", "30분"
    "format.duration.hours_minutes": "{hours}시간 {minutes}분",
    "format.duration.hours": "{hours}시간",
    "format.duration.minutes": "{minutes}분",
    # 시각: "오후 3시 5분", "오전 9시"; 자정 뒤 한 시간은 "0시 32분" ("오전 12시"라고 하지 않아요)
    "format.time.am": "오전",
    "format.time.pm": "오후",
    "format.time.hour_minute": "{half} {hour}시 {minute}분",
    "format.time.hour": "{half} {hour}시",
    "format.time.midnight_minute": "0시 {minute}분",
    "format.time.midnight": "0시",
    # 언제: 오늘은 시각만, 내일은 "내일 0시 32분", 올해의 다른 날은 "12월 9일 0시 32분",
    # 다른 해는 "2025년 12월 9일 오후 3시"
    "format.when.tomorrow": "내일 {time}",
    "format.when.this_year": "{month_name} {day}일 {time}",
    "format.when.other_year": "{year}년 {month_name} {day}일 {time}",
    "format.month.1": "1월",
    "format.month.2": "2월",
    "format.month.3": "3월",
    "format.month.4": "4월",
    "format.month.5": "5월",
    "format.month.6": "6월",
    "format.month.7": "7월",
    "format.month.8": "8월",
    "format.month.9": "9월",
    "format.month.10": "10월",
    "format.month.11": "11월",
    "format.month.12": "12월",
}
