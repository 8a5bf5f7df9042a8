"""WEB_URL: HTTPS only (Telegram opens Mini Apps over HTTPS), plain http on loopback alone."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


def test_web_url_must_be_https_except_on_loopback() -> None:
    assert load_settings(_env_file=None, web_url="https://bot.example.org/desk/").web_path == (
        "/desk/"
    )
    assert load_settings(_env_file=None, web_url="http://127.0.0.1:8080/").web_path == "/"
    with pytest.raises(SettingsError, match=r"WEB_URL: .*https://"):
        load_settings(_env_file=None, web_url="http://bot.example.org/desk/")
    with pytest.raises(SettingsError, match="WEB_LISTEN"):
        load_settings(_env_file=None, web_listen="8080")
    assert load_settings(_env_file=None, web_url="").web_url is None
