"""The demo members, one per situation, seeded on first start and by reset (see __init__)."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from . import members, records, transmissions
from .members import Member

DEMO_MEMBERS: tuple[str, ...] = (
    "kindly0904",
    "sora2008",
    "minjun.vms",
    "jiwoo0521",
    "seoyeon88",
    "hanbit2007",
    "yuna.kim",
)

PROFILES = (
    # The seed's own example: 1365 consent 2019-09-11, VMS consent 2020-03-19.
    Member("kindly0904", "kindly1365", "active", False, date(2020, 3, 19), date(2019, 9, 11),
           "sms", "010-3921-1204"),
    Member("sora2008", "sora_1365", "active", False, None, None,
           "email", "sora2008@naver.com"),
    Member("minjun.vms", "minjun1004", "active", False, date(2025, 4, 2), None,
           "sms", "010-7745-3081"),
    Member("jiwoo0521", None, "not_found", False, date(2021, 5, 21), date(2021, 5, 20),
           "email", "jiwoo0521@daum.net"),
    # Consented on 1365 before the 2017-05-30 resident-number change scheme, then changed it.
    Member("seoyeon88", "seoyeon_88", "active", True, date(2018, 4, 9), date(2016, 8, 20),
           "sms", "010-5512-8890"),
    Member("hanbit2007", "hanbit07", "active", False, date(2023, 3, 15), date(2023, 3, 14),
           "sms", "010-2207-4415"),
    Member("yuna.kim", "yunakim", "active", False, date(2024, 9, 2), date(2024, 9, 1),
           "email", "yuna.kim@gmail.com"),
)  # fmt: skip

HOSTS = (
    "행복노인복지관",
    "한빛지역아동센터",
    "푸른요양원",
    "사랑나눔 무료급식소",
    "시립장애인복지관",
)
ACTIVITIES = ("급식 배식 보조", "어르신 말벗", "학습 멘토링", "환경 정화", "행사 진행 보조")
KINDS = ("개인봉사", "단체봉사")
LONG_ACTIVITY = (
    "🧓 독거 어르신 댁을 방문해 <안부 확인> & 말벗 활동을 하고, "
    '반찬 꾸러미 "정(情)"을 전달했습니다. '
    "이어서 복지관 강당에서 '스마트폰 쉽게 쓰기' 교실의 보조 강사로 참여해 "
    "어르신들께 카카오톡 사진 보내기, 영상통화 걸기, 글자 크게 하기를 "
    "한 분씩 옆에서 도와드렸고, 끝난 뒤에는 의자와 책상을 정리하고 "
    "다음 주 수업에 쓸 안내문을 큰 글씨로 다시 인쇄해 두었습니다. "
    "활동 중 어르신 한 분이 넘어질 뻔해 담당 사회복지사께 바로 알렸고, "
    "안전 수칙(미끄럼 방지 매트 확인, 통로 확보)을 함께 점검했습니다. "
    "다음 달에도 같은 시간에 참여하기로 약속했습니다 😊"
)
SPECIAL_RECORDS = (
    ('<해오름> 지역아동센터 & "꿈터"', "🍱 도시락 배달 & 안부 확인 <b>굵게</b> 'quoted'", 120),
    (
        "🌱 초록 나눔터 (O'Brien & Sons 후원)",
        '분리수거 & 재활용 교육 — "<플라스틱>"을 줄여요 ♻️',
        90,
    ),
    ("사회복지법인 " + "한마음 " * 20 + "복지관", LONG_ACTIVITY, 240),
    ("&amp; 이미 이스케이프된 것처럼 보이는 수요처 &lt;tag&gt;", "줄바꿈이 있는\n활동내역\t탭", 30),
)


def _record_id(vms_id: str, n: int) -> str:
    """Stable ids, so a reset gives back the same demo records."""
    return "rec_" + hashlib.sha256(f"{vms_id}:{n}".encode()).hexdigest()[:16]


def _spec(day: date, host: str, activity: str, minutes: int, kind: str = "개인봉사",
          already_on_1365: bool = False) -> dict[str, Any]:  # fmt: skip
    return {"activity_date": day.isoformat(), "host": host, "activity": activity,
            "minutes": minutes, "kind": kind, "already_on_1365": already_on_1365}  # fmt: skip


def school_year_start(day: date) -> date:
    """A school year runs 1 March to the end of February."""
    return date(day.year if day.month >= 3 else day.year - 1, 3, 1)


def _recent(today: date, rng: random.Random, count: int) -> list[dict[str, Any]]:
    return [
        _spec(today - timedelta(days=4 + 7 * n), rng.choice(HOSTS), rng.choice(ACTIVITIES),
              rng.choice((60, 120, 180, 240)), rng.choice(KINDS))
        for n in range(count)
    ]  # fmt: skip


def _heavy(today: date, rng: random.Random) -> tuple[list[dict[str, Any]], date]:
    """220 records over two school years, about one in seven of 30 minutes."""
    first = date(school_year_start(today - timedelta(days=183)).year - 1, 3, 1)
    second = date(first.year + 1, 3, 1)
    last = min(today - timedelta(days=1), date(second.year + 1, 3, 1) - timedelta(days=1))
    span = (last - first).days
    days = sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(220))
    specs = [
        _spec(day, rng.choice(HOSTS), rng.choice(ACTIVITIES),
              30 if rng.random() < 0.15 else rng.choice((60, 90, 120, 180, 240)),
              rng.choice(KINDS))
        for day in days
    ]  # fmt: skip
    later = [s for s in specs if s["activity_date"] >= second.isoformat()]
    for spec in later[3:5]:  # two the host also entered on 1365 directly
        spec["already_on_1365"] = True
    return specs, second


def seed(conn: sqlite3.Connection, now: datetime) -> None:
    """Insert the demo members, their records and the heavy volunteer's sending history."""
    today = now.astimezone(UTC).date()
    for profile in PROFILES:
        members.save(conn, profile)
    plans: dict[str, list[dict[str, Any]]] = {}
    for vms_id in DEMO_MEMBERS:
        rng = random.Random(vms_id)  # deterministic per member
        plans[vms_id] = _recent(today, rng, 4 if vms_id == "kindly0904" else 3)
    plans["yuna.kim"] = [
        _spec(today - timedelta(days=3 + 5 * n), host, activity, minutes)
        for n, (host, activity, minutes) in enumerate(SPECIAL_RECORDS)
    ]
    plans["hanbit2007"], second_year = _heavy(today, random.Random("hanbit2007"))
    for vms_id, specs in plans.items():
        for n, spec in enumerate(specs):
            records.insert(conn, vms_id, spec, _record_id(vms_id, n))
    _heavy_history(conn, "hanbit2007", second_year)


def _heavy_history(conn: sqlite3.Connection, vms_id: str, second_year: date) -> None:
    """The first school year's records were sent month by month; one month hit a portal error."""
    rows = conn.execute(
        "SELECT record_id, activity_date FROM records WHERE vms_id = ? AND activity_date < ?"
        " ORDER BY activity_date, seq",
        (vms_id, second_year.isoformat()),
    ).fetchall()
    by_month: dict[str, list[str]] = {}
    for row in rows:
        by_month.setdefault(row["activity_date"][:7], []).append(row["record_id"])
    for n, (month, ids) in enumerate(sorted(by_month.items())):
        year, mon = int(month[:4]), int(month[5:])
        sent_day = date(year + mon // 12, mon % 12 + 1, 5)
        sent = datetime.combine(sent_day, time(1, 0), tzinfo=UTC)  # 10:00 in Korea
        result = "portal_error" if n == 4 else records.SUCCEEDED
        outcomes = [(rid, result) for rid in ids]
        transmissions.store(conn, vms_id, outcomes, sent, sent + timedelta(minutes=1))
