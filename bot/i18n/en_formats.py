"""English durations, times and dates. Keys must match ko_formats.py."""

TEXTS: dict[str, str] = {
    "format.duration.hours_minutes": "{hours} h {minutes} min",
    "format.duration.hours": "{hours} h",
    "format.duration.minutes": "{minutes} min",
    "format.time.am": "AM",
    "format.time.pm": "PM",
    "format.time.hour_minute": "{hour}:{minute:02d} {half}",
    "format.time.hour": "{hour} {half}",
    "format.date_time": "{date}, {time}",
}
