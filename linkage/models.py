"""The gateway contract's objects as typed, validated models (see openapi.yaml, v1.1)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from core.types import AccountState

# openapi.yaml: one accepted transmission per member per 3600 s, counted from its created_at.
SEND_COOLDOWN = timedelta(seconds=3600)

# v1 may add enum values (the contract's additive-change rule): an unknown one is read as
# "other", with the gateway's own word kept beside it, so one new reason code never makes a
# whole page of records unreadable.
OTHER = "other"
RecordStatus = Literal["unsent", "pending", "succeeded", "failed", "other"]
ReasonCode = Literal[
    "consent_1365_missing",
    "account_1365_not_found",
    "identity_mismatch",
    "duplicate",
    "portal_error",
    "other",
]
TransmissionStatus = Literal["accepted", "completed", "other"]
_REASONS = ReasonCode.__args__  # type: ignore[attr-defined]
_ACCOUNTS = AccountState.__args__  # type: ignore[attr-defined]
_RECORD_STATES = RecordStatus.__args__  # type: ignore[attr-defined]
_RESULT_STATES = ("pending", "succeeded", "failed")
_TRANSMISSION_STATES = TransmissionStatus.__args__  # type: ignore[attr-defined]


def _open(known: tuple[str, ...]) -> Any:
    """A before-validator reading an unknown string as "other" (validation judges the rest).

    Field-level on purpose: a model-level one would hand pydantic a Python dict, and strict
    mode would then refuse the JSON's date strings.
    """

    def coerce(cls: type[BaseModel], value: Any) -> Any:
        return OTHER if isinstance(value, str) and value not in known else value

    return classmethod(coerce)


class _Model(BaseModel):
    # Unknown fields are ignored so a gateway may add some; missing or mistyped ones are errors
    # (strict: "60" is not a number of minutes; timestamps must carry their time zone).
    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)


class Health(_Model):
    status: Literal["ok"]
    simulated: bool
    version: str


class LinkRequest(_Model):
    request_id: str
    channel: Literal["sms", "email"]
    destination_masked: str
    expires_at: AwareDatetime
    attempts_allowed: int = Field(ge=1)


class Consent(_Model):
    agreed: bool
    agreed_on: date | None


class Member(_Model):
    vms_id: str
    id_1365_masked: str | None
    consent_vms: Consent
    consent_1365: Consent
    account_1365: AccountState
    # The gateway's own word, also when account_1365 reads it as "other".
    account_1365_raw: str = Field(default="", validation_alias="account_1365")

    _unknown_state = field_validator("account_1365", mode="before")(_open(_ACCOUNTS))


class Link(_Model):
    link_id: str
    replaced_link_id: str | None
    member: Member


class Reason(_Model):
    code: ReasonCode
    message: str
    raw_code: str = Field(default="", validation_alias="code")

    _unknown_code = field_validator("code", mode="before")(_open(_REASONS))


class Record(_Model):
    record_id: str
    activity_date: date
    host: str
    activity: str
    minutes: int = Field(ge=1)
    kind: str
    status: RecordStatus
    sent_at: AwareDatetime | None
    reason: Reason | None
    visible_on_1365_at: AwareDatetime | None

    _unknown_status = field_validator("status", mode="before")(_open(_RECORD_STATES))


class RecordCounts(_Model):
    unsent: int = Field(ge=0)
    pending: int = Field(ge=0)
    succeeded: int = Field(ge=0)
    failed: int = Field(ge=0)


class RecordPage(_Model):
    items: list[Record]
    next_cursor: str | None
    counts: RecordCounts


class RecordResult(_Model):
    record_id: str
    status: Literal["pending", "succeeded", "failed", "other"]
    reason: Reason | None
    visible_on_1365_at: AwareDatetime | None

    _unknown_status = field_validator("status", mode="before")(_open(_RESULT_STATES))


class Transmission(_Model):
    transmission_id: str
    status: TransmissionStatus
    created_at: AwareDatetime
    completed_at: AwareDatetime | None
    record_count: int = Field(ge=1)
    results: list[RecordResult]

    _unknown_status = field_validator("status", mode="before")(_open(_TRANSMISSION_STATES))


class TransmissionList(_Model):
    items: list[Transmission]
