"""Migration 19: each link records its gateway; trial and guide-mode due work goes on /forget.

Real mode used to start the embedded sandbox gateway whenever VMS_GATEWAY_URL was
unset, so real volunteers linked to simulated members (issue 17). Now each link records
which gateway made it: 'sandbox' or the gateway URL's origin. Rows made before this
migration are NULL ("not recorded"): the migration cannot know the settings they were
made under, so the bot classifies them at its next start (bot/services/trial.py), by
the evidence that exists: the link ids the embedded sandbox issued, kept in its own
database file beside this one. Links the sandbox made, with their caches, sends and due
work, are removed when the bot no longer runs the sandbox, and each volunteer is told
once ('trial.farewell'). Guide mode keeps each volunteer's own word about their last
send on VMS (self_reports) and asks 24 h later whether 1365 shows it ('guide.check',
'guide.later'). All of it is keyed by the Telegram id and goes with the user on /forget
(CASCADE and the trigger).
"""

from __future__ import annotations

from store.migrations.base import Migration, sql

MIGRATION = Migration(
    19,
    "each link records its gateway; trial and guide-mode due work goes on /forget",
    sql(
        "ALTER TABLE links ADD COLUMN gateway TEXT NULL",
        # Guide mode (no gateway): what a volunteer told the bot about their last send on
        # VMS ("📤 VMS에서 보냈어요") and whether it showed on 1365. Never verified.
        """
        CREATE TABLE self_reports (
            telegram_id INTEGER PRIMARY KEY
                REFERENCES users (telegram_id) ON DELETE CASCADE,
            sent_at TEXT NOT NULL,
            seen_on_1365 INTEGER NULL CHECK (seen_on_1365 IS NULL OR seen_on_1365 IN (0, 1)),
            answered_at TEXT NULL
        )
        """,
        """
        CREATE TRIGGER users_drop_trial_and_guide_work AFTER DELETE ON users
        BEGIN
            DELETE FROM due_work
            WHERE kind IN ('trial.farewell', 'guide.check', 'guide.later')
                AND key = CAST(OLD.telegram_id AS TEXT);
        END
        """,
    ),
)
