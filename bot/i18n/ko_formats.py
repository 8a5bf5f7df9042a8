"""한국어 시간·날짜 표기. 키는 en_formats.py와 같아야 합니다."""

TEXTS: dict[str, str] = {
    # 봉사시간: "7시간 30분", "2시간", "30분"
    "format.duration.hours_minutes": "{hours}시간 {minutes}분",
    "format.duration.hours": "{hours}시간",
    "format.duration.minutes": "{minutes}분",
    # 시각: "오후 3시 5분", "오전 9시"
    "format.time.am": "오전",
    "format.time.pm": "오후",
    "format.time.hour_minute": "{half} {hour}시 {minute}분",
    "format.time.hour": "{half} {hour}시",
    # "2019년 9월 11일 오후 3시 5분"
    "format.date_time": "{date} {time}",
}
