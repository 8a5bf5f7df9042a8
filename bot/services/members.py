"""What the bot knows of a VMS member, as services hand it to views (not the gateway's models).

The gateway contract may grow (new fields, new enum values read as "other"); views and flows
depend on these small types only, so a contract change stops at the service layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.types import AccountState
from linkage.models import Consent, Member


@dataclass(frozen=True)
class ConsentStatus:
    """One site's consent: agreed, and on which day when the site says so."""

    agreed: bool
    agreed_on: date | None = None


@dataclass(frozen=True)
class MemberStatus:
    """The linked member: masked 1365 ID, both consents, and the 1365 account's state."""

    vms_id: str
    id_1365_masked: str | None
    consent_1365: ConsentStatus
    consent_vms: ConsentStatus
    account_1365: AccountState

    @classmethod
    def from_gateway(cls, member: Member) -> MemberStatus:
        return cls(
            vms_id=member.vms_id,
            id_1365_masked=member.id_1365_masked,
            consent_1365=_consent(member.consent_1365),
            consent_vms=_consent(member.consent_vms),
            account_1365=member.account_1365,
        )


def _consent(consent: Consent) -> ConsentStatus:
    return ConsentStatus(consent.agreed, consent.agreed_on)
