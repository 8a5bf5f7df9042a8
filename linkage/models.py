"""The gateway contract's objects as typed, validated models (see openapi.yaml)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

RecordStatus = Literal["unsent", "pending", "succeeded", "failed"]
ReasonCode = Literal[
    "consent_1365_missing",
    "account_1365_not_found",
    "identity_mismatch",
    "duplicate",
    "portal_error",
]


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
    account_1365: Literal["active", "not_found"]


class Link(_Model):
    link_id: str
    replaced_link_id: str | None
    member: Member


class Reason(_Model):
    code: ReasonCode
    message: str


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
    status: Literal["pending", "succeeded", "failed"]
    reason: Reason | None
    visible_on_1365_at: AwareDatetime | None


class Transmission(_Model):
    transmission_id: str
    status: Literal["accepted", "completed"]
    created_at: AwareDatetime
    completed_at: AwareDatetime | None
    record_count: int = Field(ge=1)
    results: list[RecordResult]
