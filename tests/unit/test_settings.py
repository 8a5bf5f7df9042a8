"""Settings: public names, parsing, and errors that name the setting without echoing secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

NAMES = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "VMS_GATEWAY_URL",
    "VMS_GATEWAY_API_KEY",
    "DATABASE_PATH",
    "DATABASE_URL",
    "ADMIN_TELEGRAM_IDS",
    "TIMEZONE",
    "BROADCAST_RATE",
    "LOG_LEVEL",
    "CENTER_CONTACT",
)


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no developer .env


def test_defaults() -> None:
    s = load_settings()
    assert s.telegram_bot_token is None
    assert s.bot_api_root == "https://api.telegram.org"
    assert s.timezone == "Asia/Seoul" and s.broadcast_rate == 20 and s.log_level == "INFO"
    assert s.admin_telegram_ids == ()


def test_every_name_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {
        "TELEGRAM_BOT_TOKEN": "123456789:AAbbCCddEEffGGhh",
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/",
        "VMS_GATEWAY_URL": "https://gw.example.org/v1",
        "VMS_GATEWAY_API_KEY": "key-123",
        "DATABASE_PATH": "/var/lib/bot/db.sqlite3",
        "ADMIN_TELEGRAM_IDS": " 11, 22 ,33",
        "TIMEZONE": "UTC",
        "BROADCAST_RATE": "5.5",
        "LOG_LEVEL": "debug",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    s = load_settings()
    assert (
        s.telegram_bot_token is not None
        and s.telegram_bot_token.get_secret_value() == values["TELEGRAM_BOT_TOKEN"]
    )
    assert s.bot_api_root == "http://127.0.0.1:8081"
    assert str(s.vms_gateway_url) == "https://gw.example.org/v1"
    assert s.database_path == Path("/var/lib/bot/db.sqlite3")
    assert s.admin_telegram_ids == (11, 22, 33)
    assert s.timezone == "UTC" and s.broadcast_rate == 5.5 and s.log_level == "DEBUG"
    assert "AAbbCCdd" not in repr(s) and "key-123" not in repr(s)


def test_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ADMIN_TELEGRAM_IDS=7\nTELEGRAM_BOT_TOKEN=\n", encoding="utf-8")
    s = load_settings()
    assert s.admin_telegram_ids == (7,) and s.telegram_bot_token is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TIMEZONE", "Seoul"),
        ("BROADCAST_RATE", "0"),
        ("BROADCAST_RATE", "100"),
        ("LOG_LEVEL", "LOUD"),
        ("ADMIN_TELEGRAM_IDS", "12,abc"),
        ("TELEGRAM_API_BASE_URL", "not a url"),
        ("TELEGRAM_BOT_TOKEN", "hunter2-secret"),
    ],
)
def test_bad_values_name_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert name in str(info.value)
    assert "hunter2" not in str(info.value)


def test_center_contact_is_free_text_with_line_breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CENTER_CONTACT", "☎ 02-123-4567 (평일 9~18시)\\n카카오톡: 우리센터 ")
    assert load_settings().center_contact == "☎ 02-123-4567 (평일 9~18시)\n카카오톡: 우리센터"
    monkeypatch.setenv("CENTER_CONTACT", "  ")
    assert load_settings().center_contact is None


def test_the_three_gateway_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset: guide mode; "sandbox": the embedded sandbox (trial data); a URL: a gateway."""
    assert load_settings().gateway_mode == "guide"
    monkeypatch.setenv("VMS_GATEWAY_URL", " Sandbox ")
    assert load_settings().gateway_mode == "sandbox"
    monkeypatch.setenv("VMS_GATEWAY_URL", "https://gw.example.org/v1")
    monkeypatch.setenv("VMS_GATEWAY_API_KEY", "key-123")
    assert load_settings().gateway_mode == "gateway"


def test_a_gateway_url_without_its_key_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VMS_GATEWAY_URL", "https://gw.example.org/v1")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert "VMS_GATEWAY_API_KEY" in message and "\n" not in message
    assert "sandbox" in message  # the other two choices are named


def test_database_url_takes_a_sqlite_path_or_postgres_and_wins_over_database_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = load_settings()
    assert s.postgres_url is None and s.database_path == Path("data/yeongye.sqlite3")

    monkeypatch.setenv("DATABASE_PATH", "/srv/old.sqlite3")
    assert load_settings().database_path == Path("/srv/old.sqlite3")

    monkeypatch.setenv("DATABASE_URL", "/srv/new.sqlite3")
    s = load_settings()
    assert s.database_path == Path("/srv/new.sqlite3") and s.postgres_url is None
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/url.sqlite3")
    assert load_settings().database_path == Path("/srv/url.sqlite3")

    url = "postgresql://bot:pw@db.example.org:5432/yeongye"
    monkeypatch.setenv("DATABASE_URL", url)
    assert load_settings().postgres_url == url
    monkeypatch.setenv("DATABASE_URL", "postgres://bot@/yeongye?host=/run/postgresql")
    assert load_settings().postgres_url == "postgres://bot@/yeongye?host=/run/postgresql"
    monkeypatch.setenv("DATABASE_URL", "  ")
    assert load_settings().database_path == Path("/srv/old.sqlite3")
