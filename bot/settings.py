"""Typed settings read from the environment and `.env`; the names are a public interface."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, HttpUrl, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from store.engine import is_postgres_url

TELEGRAM_DEFAULT_API = "https://api.telegram.org"
# VMS_GATEWAY_URL=sandbox: the embedded sandbox gateway, simulated data, said so to users.
SANDBOX = "sandbox"
GatewayMode = Literal["guide", "sandbox", "gateway"]
# Telegram's rule for setWebhook's secret_token (bot/web/webhook.check_secret applies the same
# one where the secret is used; it is repeated here so a bad value stops the bot before start).
_WEBHOOK_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")
_LISTEN_RE = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[^:\s]+):([0-9]{1,5})")


class Settings(BaseSettings):
    """Every setting the bot reads; field names map to the upper-case environment names."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: HttpUrl = HttpUrl(TELEGRAM_DEFAULT_API)
    # Unset: guide mode (no gateway). "sandbox": the embedded sandbox (trial data). A URL:
    # a real gateway, which also needs VMS_GATEWAY_API_KEY.
    vms_gateway_url: Literal["sandbox"] | HttpUrl | None = None
    vms_gateway_api_key: SecretStr | None = None
    database_path: Path = Path("data/yeongye.sqlite3")
    # A SQLite path (sqlite:///path also works) or postgresql://user:pass@host/db. Wins over
    # DATABASE_PATH when both are set; DATABASE_PATH stays for existing .env files.
    database_url: str | None = None
    admin_telegram_ids: Annotated[tuple[int, ...], NoDecode] = ()
    timezone: str = "Asia/Seoul"
    broadcast_rate: float = Field(default=20.0, gt=0, le=30)
    # Link codes the whole bot asks the gateway for in any hour. The gateway caps a center
    # (300 an hour in the sandbox, linkage/openapi.yaml); a third of it leaves the rest to the
    # center's other tools, so made-up IDs from many accounts never spend it all.
    link_codes_per_hour: int = Field(default=100, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    # How volunteers reach the center (phone, hours, KakaoTalk channel), shown by /help and
    # wherever the bot says "ask the center"; unset, the bot says to contact their own center.
    center_contact: str | None = None
    # Webhook mode (README "웹훅으로 운영하기 / Running with a webhook"): with WEBHOOK_URL set,
    # `run_bot.py real` serves Telegram's POSTs on WEBHOOK_LISTEN instead of polling.
    webhook_url: HttpUrl | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1:8443"
    # Polling: seconds real mode listens for another process polling this bot before it starts
    # (Telegram's 409 reaches the process already polling first; that one re-polls within a
    # second and so ends this probe). 0 skips the check.
    polling_probe_seconds: int = Field(default=3, ge=0, le=10)
    # Worker tasks in this process that run stored updates (each runs up to 10 users at once).
    webhook_workers: int = Field(default=4, ge=1, le=64)
    # How long a worker holds a stored update before another may take it over. Renewed while
    # the update runs, so only a worker that died leaves it: its updates wait this long.
    webhook_lease_seconds: float = Field(default=300.0, ge=1.0, le=3600.0)
    # How long a worker holds a broadcast it sends (renewed every third of it): another
    # worker takes a dead one's run over within this, plus one due-work tick.
    broadcast_lease_seconds: float = Field(default=30.0, ge=1.0, le=600.0)
    # The staff desk Mini App (README "업무 창 / The staff desk"): its public address, which
    # Telegram opens over HTTPS only. Unset: no desk, no menu button. In webhook mode it is
    # served by the webhook's server at this URL's path; otherwise on WEB_LISTEN.
    web_url: HttpUrl | None = None
    web_listen: str = "127.0.0.1:8080"

    @field_validator(
        "telegram_bot_token",
        "vms_gateway_api_key",
        "webhook_url",
        "webhook_secret",
        "web_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # An empty line `TELEGRAM_BOT_TOKEN=` in .env means "not set", not "the empty token".
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("center_contact", mode="before")
    @classmethod
    def _contact_lines(cls, value: object) -> object:
        # One .env line can hold several: a literal "\\n" starts a new line.
        if isinstance(value, str):
            lines = [line.strip() for line in value.replace("\\n", "\n").splitlines()]
            text = "\n".join(line for line in lines if line)
            return text or None
        return value

    @field_validator("vms_gateway_url", mode="before")
    @classmethod
    def _blank_url_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and value.strip().lower() == SANDBOX:
            return SANDBOX
        return value

    @field_validator("database_url", mode="before")
    @classmethod
    def _blank_database_url_is_unset(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip() or None
        return value

    @model_validator(mode="after")
    def _database_url_wins(self) -> Settings:
        # A SQLite URL becomes the path, so everything kept beside the database file (the
        # sandbox gateway's file, backups' names) follows it as it follows DATABASE_PATH.
        url = self.database_url
        if url is not None and not is_postgres_url(url):
            self.database_path = Path(url.removeprefix("sqlite:///").removeprefix("sqlite://"))
        return self

    @model_validator(mode="after")
    def _url_needs_key(self) -> Settings:
        # Without a key every call would be refused with 401; say so before starting.
        if self.gateway_mode == "gateway" and self.vms_gateway_api_key is None:
            raise ValueError(
                "VMS_GATEWAY_URL is set but VMS_GATEWAY_API_KEY is not: add the center's key "
                "for that gateway (or set VMS_GATEWAY_URL=sandbox for trial data, or leave it "
                "empty for guide mode)"
            )
        return self

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        # Without the secret anyone who finds the URL could post updates as any user.
        if self.webhook_url is None:
            return self
        secret = self.webhook_secret
        if secret is None or _WEBHOOK_SECRET_RE.fullmatch(secret.get_secret_value()) is None:
            raise ValueError(
                "WEBHOOK_URL is set but WEBHOOK_SECRET is missing or not 1-256 characters of "
                "A-Z, a-z, 0-9, _ and -: set one (e.g. the output of `openssl rand -hex 32`)"
            )
        return self

    @field_validator("web_url")
    @classmethod
    def _web_url_https(cls, value: HttpUrl | None) -> HttpUrl | None:
        # Telegram opens Mini Apps over HTTPS only; plain http is allowed on the loopback
        # address alone, for tests and trying the pages locally.
        if value is None or value.scheme == "https":
            return value
        if value.host in _LOOPBACK:
            return value
        raise ValueError("must be an https:// address (Telegram opens Mini Apps over HTTPS only)")

    @field_validator("webhook_listen", "web_listen")
    @classmethod
    def _listen_shape(cls, value: str) -> str:
        match = _LISTEN_RE.fullmatch(value.strip())
        if match is None or int(match.group(2)) > 65535:
            raise ValueError("expected host:port, e.g. 127.0.0.1:8443")
        return value.strip()

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram tokens are "<bot id>:<secret>"; catching a pasted-wrong value here beats a
        # confusing 401 later. The value itself never goes into the message.
        if value is not None:
            bot_id, sep, secret = value.get_secret_value().partition(":")
            if not (sep and bot_id.isdigit() and len(secret) >= 10):
                raise ValueError("expected the form 123456789:AA... as given by @BotFather")
        return value

    @field_validator("admin_telegram_ids", mode="before")
    @classmethod
    def _comma_separated_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            try:
                return tuple(int(p) for p in parts)
            except ValueError:
                raise ValueError("expected Telegram user ids separated by commas") from None
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("unknown time zone; use an IANA name such as Asia/Seoul") from None
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def gateway_mode(self) -> GatewayMode:
        """guide: no gateway; sandbox: the embedded one (trial data); gateway: a real one."""
        if self.vms_gateway_url is None:
            return "guide"
        return "sandbox" if self.vms_gateway_url == SANDBOX else "gateway"

    @property
    def postgres_url(self) -> str | None:
        """The PostgreSQL URL when DATABASE_URL names one; None means SQLite at database_path."""
        url = self.database_url
        return url if url is not None and is_postgres_url(url) else None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def webhook_path(self) -> str:
        """Where the webhook app takes POSTs: WEBHOOK_URL's path (a reverse proxy passes it
        through unchanged), "/" when the URL has none."""
        if self.webhook_url is None:
            return "/"
        return self.webhook_url.path or "/"

    @property
    def web_app_url(self) -> str | None:
        """WEB_URL as Telegram may open it in a Mini App button: HTTPS only (a loopback
        http:// WEB_URL serves the pages to a local browser, but Telegram refuses the button,
        and with an inline button the whole message)."""
        if self.web_url is None or self.web_url.scheme != "https":
            return None
        return str(self.web_url)

    @property
    def web_path(self) -> str:
        """Where the desk is served: WEB_URL's path ("/" when the URL has none)."""
        if self.web_url is None:
            return "/"
        return self.web_url.path or "/"

    @property
    def bot_api_root(self) -> str:
        """The Bot API server without a trailing slash, e.g. https://api.telegram.org."""
        return str(self.telegram_api_base_url).rstrip("/")


class SettingsError(Exception):
    """A setting has a bad value; the message names the setting and never echoes secrets."""


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning pydantic's report into one line per bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            if not error["loc"]:  # a check across settings names them in its own message
                lines.append(str(error["msg"]).removeprefix("Value error, "))
                continue
            name = str(error["loc"][0]).upper()
            lines.append(f"{name}: {error['msg']}")
        raise SettingsError("; ".join(lines)) from None
