"""Migration 21: questions kept until answered or expired; per-volunteer facts for staff segments.

Why (issue 17, part 4): a volunteer's question was never stored, so one that reached no
staff member was lost. It is kept now, with its text, until a staff member answers it
(the text goes at once) or it expires (`expires_at`, 14 days: due work 'help.expire'
clears the text, sets `expired_at` and tells the volunteer once). It goes with the user
on /forget (CASCADE from migration 12; the due work by its telegram_id).
Part 6 also: reminders remember their last skipped run (`skipped_run_at`).
Why (part 5): staff segments counted from the /status cache, which only /status writes,
so right after linking or a send they were wrong. `volunteer_facts` keeps, per linked
volunteer, what the bot last learned from the gateway by any read (linking, /status,
/send, its results, new-record polls), each part with the time it was learned. Filled
from the existing caches of current links.
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    21,
    "questions kept until answered or expired; per-volunteer facts for staff segments",
    sql(
        "ALTER TABLE help_requests ADD COLUMN question TEXT NULL",
        "ALTER TABLE help_requests ADD COLUMN expires_at TEXT NULL",
        "ALTER TABLE help_requests ADD COLUMN expired_at TEXT NULL",
        # Part 6: a reminder run missed by more than a day is skipped; /remind shows the
        # last one skipped (when it was due) instead of reading like a sent one.
        "ALTER TABLE reminders ADD COLUMN skipped_run_at TEXT NULL",
        """
        CREATE TABLE volunteer_facts (
            telegram_id INTEGER PRIMARY KEY
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            link_id TEXT NOT NULL,
            consent_1365 INTEGER NULL,
            consent_vms INTEGER NULL,
            consents_at TEXT NULL,
            unsent INTEGER NULL,
            resendable_failed INTEGER NULL,
            records_at TEXT NULL
        )
        """,
        """
        INSERT INTO volunteer_facts (telegram_id, link_id, consent_1365, consent_vms,
            consents_at, unsent, resendable_failed, records_at)
        SELECT c.telegram_id, c.link_id,
            json_extract(c.summary, '$.member.consent_1365.agreed'),
            json_extract(c.summary, '$.member.consent_vms.agreed'), c.fetched_at,
            json_extract(c.summary, '$.unsent.count'),
            json_extract(c.summary, '$.resendable_failed'), c.fetched_at
        FROM status_cache c JOIN links l
            ON l.telegram_id = c.telegram_id AND l.link_id = c.link_id
        WHERE c.summary IS NOT NULL AND c.fetched_at IS NOT NULL
        """,
    ),
    postgres=sql(
        "ALTER TABLE help_requests ADD COLUMN question TEXT NULL",
        "ALTER TABLE help_requests ADD COLUMN expires_at TEXT NULL",
        "ALTER TABLE help_requests ADD COLUMN expired_at TEXT NULL",
        "ALTER TABLE reminders ADD COLUMN skipped_run_at TEXT NULL",
        """
        CREATE TABLE volunteer_facts (
            telegram_id BIGINT PRIMARY KEY
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            link_id TEXT NOT NULL,
            consent_1365 BIGINT NULL,
            consent_vms BIGINT NULL,
            consents_at TEXT NULL,
            unsent BIGINT NULL,
            resendable_failed BIGINT NULL,
            records_at TEXT NULL
        )
        """,
        # JSON true/false become 1/0, as SQLite's json_extract gives them.
        """
        INSERT INTO volunteer_facts (telegram_id, link_id, consent_1365, consent_vms,
            consents_at, unsent, resendable_failed, records_at)
        SELECT c.telegram_id, c.link_id,
            CASE c.summary::jsonb #>> '{member,consent_1365,agreed}'
                WHEN 'true' THEN 1 WHEN 'false' THEN 0 END,
            CASE c.summary::jsonb #>> '{member,consent_vms,agreed}'
                WHEN 'true' THEN 1 WHEN 'false' THEN 0 END,
            c.fetched_at,
            (c.summary::jsonb #>> '{unsent,count}')::bigint,
            (c.summary::jsonb #>> '{resendable_failed}')::bigint, c.fetched_at
        FROM status_cache c JOIN links l
            ON l.telegram_id = c.telegram_id AND l.link_id = c.link_id
        WHERE c.summary IS NOT NULL AND c.fetched_at IS NOT NULL
        """,
    ),
)
