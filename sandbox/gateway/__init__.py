"""A faithful sandbox of the VMS linkage gateway (linkage/openapi.yaml) on loopback HTTP.

All data are simulated. Link codes are "delivered" to ``GatewaySandbox.deliveries`` and logged
as one line on logger ``sandbox.gateway``. Run it alone with ``python -m sandbox.gateway``.

Demo members, seeded on first start and by reset (IDs are case-insensitive):

=============  ==========================================================================
VMS ID         situation
=============  ==========================================================================
kindly0904     the seed's example: 1365 consent 2019-09-11, VMS consent 2020-03-19,
               1365 ID "kindly****", SMS 010-****-12**, 4 unsent records -> all succeed
sora2008       no consent on either site -> sending is refused (409 consent_vms_missing);
               e-mail so****@n***.com, 3 unsent records
minjun.vms     VMS consent only (1365 missing) -> accepted, every record fails
               consent_1365_missing; SMS, 3 unsent records
jiwoo0521      both consents, but the 1365 account was deleted for dormancy
               (account_1365 not_found, no 1365 ID) -> account_1365_not_found; e-mail
seoyeon88      both consents, resident registration number changed after the 1365
               consent (2016) -> identity_mismatch; SMS
hanbit2007     heavy volunteer: 220 records over the last two school years (1 March - end
               of February), ~15 % of 30 minutes; the earlier year was sent month by month
               (one month failed with portal_error, resendable), the later year is unsent,
               two of them already on 1365 -> duplicate
yuna.kim       both consents; hosts and activities with <, &, quotes, emoji, tabs and
               newlines, and a 300+ character activity text; e-mail
=============  ==========================================================================

Failure precedence for each record, judged at send time: 1365 consent missing, 1365 account
not found, identity mismatch, already on 1365 (duplicate), injected portal error.
"""

from core.clock import OffsetClock

from .core import Delivery
from .demo import DEMO_MEMBERS
from .sandbox import KEEP, GatewaySandbox

__all__ = ["DEMO_MEMBERS", "KEEP", "Delivery", "GatewaySandbox", "OffsetClock"]
