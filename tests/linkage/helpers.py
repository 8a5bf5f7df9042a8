"""What the gateway client tests share."""

from __future__ import annotations

MEMBER = {
    "vms_id": "kindly0904",
    "id_1365_masked": "kindly****",
    "consent_vms": {"agreed": True, "agreed_on": "2020-03-19"},
    "consent_1365": {"agreed": True, "agreed_on": "2019-09-11"},
    "account_1365": "suspended",
    "a_field_from_v1_2": {"anything": [1, 2]},
}
