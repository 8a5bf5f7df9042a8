"""English durations, times and dates. Keys must match ko_formats.py."""

TEXTS: dict[str, str] = {
    "format.duration.hours_minutes": "{hours} h {minutes} min",
    "format.duration.hours": "{hours} h",
    "format.duration.minutes": "{minutes} min",
    "format.time.am": "AM",
    "format.time.pm": "PM",
    "format.time.hour_minute": "{hour}:{minute:02d} {half}",
    "format.time.hour": "{hour} {half}",
    # English reads the hour after midnight as 12 AM: only Korean writes it as 0시.
    "format.time.midnight_minute": "12:{minute:02d} AM",
    "format.time.midnight": "12 AM",
    # "12:32 AM tomorrow", "Dec 9, 12:32 AM", "Dec 9, 2025, 3 PM"
    "format.when.tomorrow": "{time} tomorrow",
    "format.when.this_year": "{month_name} {day}, {time}",
    "format.when.other_year": "{month_name} {day}, {year}, {time}",
    "format.month.1": "Jan",
    "format.month.2": "Feb",
    "format.month.3": "Mar",
    "format.month.4": "Apr",
    "format.month.5": "May",
    "format.month.6": "Jun",
    "format.month.7": "Jul",
    "format.month.8": "Aug",
    "format.month.9": "Sep",
    "format.month.10": "Oct",
    "format.month.11": "Nov",
    "format.month.12": "Dec",
}
