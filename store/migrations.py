"""Append-only, numbered schema migrations, recorded in the database they change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from store import keyed
from store.pg_baseline import BASELINE_VERSION, create_baseline
from store.timestamps import to_text

if TYPE_CHECKING:
    from store.db import Database, Transaction

MigrationStep = Callable[["Transaction"], Awaitable[None]]


class DanglingReferencesError(RuntimeError):
    """A migration would leave rows pointing at rows that no longer exist; it was rolled back."""

    def __init__(self, version: int, violations: list[tuple[str, str]]) -> None:
        shown = ", ".join(f"{table} → {parent}" for table, parent in violations[:5])
        super().__init__(
            f"Migration {version} was rolled back: it would leave {len(violations)} row(s) "
            f"referring to rows that no longer exist ({shown}). Nothing was changed."
        )
        self.version = version
        self.violations = violations


class SchemaTooNewError(RuntimeError):
    """The database was migrated by a newer bot than this one."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"The database schema is at version {found}, but this bot only knows migrations "
            f"up to version {known}. It was written by a newer release: upgrade the bot (or "
            f"point it at the right database file). Refusing to start so nothing is damaged."
        )
        self.found = found
        self.known = known


@dataclass(frozen=True)
class Migration:
    """One schema change: its version, a human name, and what it does.

    `postgres` is the same change in PostgreSQL's terms. Versions up to BASELINE_VERSION
    have none: a PostgreSQL database starts from that schema whole (store/pg_baseline.py).
    Every later migration needs one, even when it is the same step as `apply`.
    """

    version: int
    name: str
    apply: MigrationStep
    postgres: MigrationStep | None = None


def rebuild(table: str, create: str, columns: Sequence[str]) -> MigrationStep:
    """Steps 3–8 of SQLite's "making other kinds of table schema changes" procedure.

    `create` is the new CREATE TABLE statement for `table` (named `table`, as it will end up);
    `columns` are copied from the old table. Indexes and triggers on the table are recreated
    from their stored SQL. migrate() supplies the rest of the procedure: foreign keys off
    outside the transaction and `PRAGMA foreign_key_check` before commit, so rows in other
    tables that reference `table` are neither cascaded away nor left dangling.
    """
    staging = f"_rebuild_{table}"

    async def run(tx: Transaction) -> None:
        kept = await tx.fetch_all(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL",
            (table,),
        )
        head, sep, rest = create.partition("(")
        if not sep or table not in head:
            raise ValueError(f"rebuild({table!r}) needs a CREATE TABLE {table} (...) statement")
        await tx.execute(f"CREATE TABLE {staging} ({rest}")
        listed = ", ".join(columns)
        await tx.execute(f"INSERT INTO {staging} ({listed}) SELECT {listed} FROM {table}")
        await tx.execute(f"DROP TABLE {table}")
        await tx.execute(f"ALTER TABLE {staging} RENAME TO {table}")
        for row in kept:
            await tx.execute(row["sql"])

    return run


def sql(*statements: str) -> MigrationStep:
    """A migration step that runs the statements in order."""

    # One statement per execute: sqlite3's executescript() would COMMIT our open transaction.
    async def run(tx: Transaction) -> None:
        for statement in statements:
            await tx.execute(statement)

    return run


async def _rate_events(tx: Transaction) -> None:
    """Migration 16; Python because SQLite has no HMAC (and the secret comes from `secrets`)."""
    await tx.execute("CREATE TABLE installation (name TEXT PRIMARY KEY, value BLOB NOT NULL)")
    secret = keyed.new_secret()
    await tx.execute(
        "INSERT INTO installation (name, value) VALUES (?, ?)", (keyed.SECRET_NAME, secret)
    )
    await tx.execute(
        """
        CREATE TABLE rate_events (
            id INTEGER PRIMARY KEY,
            subject BLOB NOT NULL,
            kind TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """
    )
    await tx.execute("CREATE INDEX rate_events_by_subject ON rate_events (subject, kind, at)")
    await tx.execute("CREATE INDEX rate_events_by_kind ON rate_events (kind, at)")
    kinds = {"request": "link.request", "wrong_code": "link.wrong"}
    old = await tx.fetch_all("SELECT telegram_id, kind, at FROM link_attempts")
    await tx.executemany(
        "INSERT INTO rate_events (subject, kind, at) VALUES (?, ?, ?)",
        [
            (keyed.account_key(secret, int(r["telegram_id"])), kinds[r["kind"]], r["at"])
            for r in old
        ],
    )
    await tx.execute("DROP TABLE link_attempts")


# Never edit or reorder an entry once released: add a new one instead. Every entry says why.


def _inbox(id_column: str, integer: str) -> tuple[str, ...]:
    """Migration 20 on either engine: only the id and integer types differ."""
    return (
        f"""
        CREATE TABLE inbox (
            id {id_column},
            update_id {integer} NOT NULL UNIQUE,
            user_key TEXT NULL,
            body TEXT NULL,
            received_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'claimed', 'done')),
            claimed_by TEXT NULL,
            lease_until TEXT NULL,
            attempts {integer} NOT NULL DEFAULT 0,
            last_error TEXT NULL,
            done_at TEXT NULL,
            CHECK ((state = 'done') = (done_at IS NOT NULL)),
            CHECK (state = 'done' OR (user_key IS NOT NULL AND body IS NOT NULL)),
            CHECK ((state = 'claimed') = (claimed_by IS NOT NULL AND lease_until IS NOT NULL))
        )
        """,
        "CREATE INDEX inbox_open ON inbox (user_key, update_id) WHERE state != 'done'",
        "CREATE INDEX inbox_done ON inbox (done_at) WHERE state = 'done'",
    )


def _leases_and_budget(real: str) -> tuple[str, str]:
    """Migration 22's tables; `real` is each engine's floating-point type."""
    leases = f"""
        CREATE TABLE leases (
            name TEXT PRIMARY KEY,
            holder TEXT NULL,
            until TEXT NOT NULL,
            began {real} NULL
        )
        """
    budget = f"""
        CREATE TABLE bot_budget (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            next_slot {real} NOT NULL,
            paused_until {real} NOT NULL
        )
        """
    return leases, budget


MIGRATIONS: list[Migration] = [
    # Why: the bot must remember each person's language and reminder choice, notice when they
    # block it, and keep PTB conversation state and user_data across restarts, in readable JSON.
    # Telegram ids exceed 32 bits: a PostgreSQL port needs BIGINT where this says INTEGER.
    Migration(
        1,
        "users and PTB persistence",
        sql(
            """
            CREATE TABLE users (
                telegram_id INTEGER PRIMARY KEY,
                language TEXT NOT NULL CHECK (language IN ('ko', 'en')),
                language_chosen INTEGER NOT NULL DEFAULT 0 CHECK (language_chosen IN (0, 1)),
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                blocked_at TEXT NULL,
                reminders INTEGER NOT NULL DEFAULT 1 CHECK (reminders IN (0, 1))
            )
            """,
            """
            CREATE TABLE ptb_conversations (
                name TEXT NOT NULL,
                key TEXT NOT NULL,
                state TEXT NOT NULL,
                PRIMARY KEY (name, key)
            )
            """,
            "CREATE TABLE ptb_user_data (user_id INTEGER PRIMARY KEY, data TEXT NOT NULL)",
            "CREATE TABLE ptb_chat_data (chat_id INTEGER PRIMARY KEY, data TEXT NOT NULL)",
            """
            CREATE TABLE ptb_bot_data (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                data TEXT NOT NULL
            )
            """,
        ),
    ),
    # Why: a Telegram user proves which VMS member they are (issue: linkage gateway). One VMS
    # member is linked to one Telegram account at a time (UNIQUE vms_id). A link whose
    # revocation could not reach the gateway (e.g. during /forget) waits in
    # pending_revocations, which holds only the opaque link id, never who it belonged to.
    Migration(
        2,
        "links and pending revocations",
        sql(
            """
            CREATE TABLE links (
                telegram_id INTEGER PRIMARY KEY
                    REFERENCES users (telegram_id) ON DELETE CASCADE,
                link_id TEXT NOT NULL UNIQUE,
                vms_id TEXT NOT NULL UNIQUE,
                id_1365_masked TEXT NULL,
                linked_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE pending_revocations (
                link_id TEXT PRIMARY KEY,
                since TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0
            )
            """,
        ),
    ),
    # Why: the /howto consent guide (issue 4) must resume where a volunteer stopped, after a
    # restart or a week's pause, so its position lives here and not only in memory. `token`
    # names the one guide message whose buttons still count (older messages are "replaced");
    # `previous_token` the one it replaced, so a double press racing the switch is recognised.
    # consent_* keep what the user reported ('self') or the gateway showed ('confirmed'). The
    # row goes with the user on /forget (ON DELETE CASCADE). Nothing personal is stored.
    Migration(
        3,
        "consent guide progress",
        sql(
            """
            CREATE TABLE guide_progress (
                telegram_id INTEGER PRIMARY KEY
                    REFERENCES users (telegram_id) ON DELETE CASCADE,
                token TEXT NOT NULL,
                previous_token TEXT NULL,
                message_id INTEGER NULL,
                stage TEXT NOT NULL CHECK (stage IN ('1365', 'vms', 'done')),
                step INTEGER NOT NULL CHECK (step BETWEEN 1 AND 5),
                consent_1365 TEXT NOT NULL DEFAULT 'unknown'
                    CHECK (consent_1365 IN ('unknown', 'self', 'confirmed')),
                agreed_1365_on TEXT NULL,
                consent_vms TEXT NOT NULL DEFAULT 'unknown'
                    CHECK (consent_vms IN ('unknown', 'self', 'confirmed')),
                agreed_vms_on TEXT NULL,
                updated_at TEXT NOT NULL
            )
            """,
        ),
    ),
    # Why: revocation retries, /send result polls, follow-ups, reminders and broadcasts are
    # all "do this once it is due, retry if it fails, survive a restart". One table serves
    # them all (bot/background/). UNIQUE (kind, key): scheduling the same work twice is one
    # row. payload is JSON and never personal (an opaque link id, not a VMS ID or a name).
    # A claim is a lease: claim_token + claimed_until on the bot's clock; a worker killed
    # mid-run leaves a lease that expires, and the item is claimed again. revision changes on
    # every re-schedule so a run that started before it cannot complete the newer work.
    # pending_revocations (migration 2) becomes 'link.revoke' work; its attempts were never
    # read under any retry policy, so they restart at 0 rather than being given up unseen.
    Migration(
        4,
        "due work replaces pending revocations",
        sql(
            """
            CREATE TABLE due_work (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                key TEXT NOT NULL,
                payload TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
                revision INTEGER NOT NULL DEFAULT 1,
                due_at TEXT NOT NULL,
                next_try_at TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                claim_token TEXT NULL,
                claimed_until TEXT NULL,
                last_error TEXT NULL,
                given_up_at TEXT NULL,
                UNIQUE (kind, key),
                CHECK ((claim_token IS NULL) = (claimed_until IS NULL))
            )
            """,
            "CREATE INDEX due_work_ready ON due_work (next_try_at) WHERE given_up_at IS NULL",
            """
            INSERT INTO due_work (kind, key, payload, due_at, next_try_at)
            SELECT 'link.revoke', link_id, json_object('link_id', link_id), since, since
            FROM pending_revocations
            """,
            "DROP TABLE pending_revocations",
        ),
    ),
    # Why: each user has at most one open flow (/link waiting for an ID or a code, the settings
    # menu, the guide), like aiogram's FSM state. It used to live in PTB persistence, flushed
    # every 2 s, so a crash right after "인증번호를 보냈어요" lost it; a row here is written
    # before the bot answers. `token` is the short random value every button of the flow
    # carries (a press with another token is stale); `rendered` is a digest of what
    # `message_id` shows now, so an edit that would change nothing is not sent. `data` holds
    # only what the next step needs (an opaque request id, never a VMS ID). The row goes with
    # the user on /forget. The ptb_* tables are now unused: their rows (old conversations,
    # user_data with typed VMS IDs) are emptied here; the tables stay (append-only schema).
    Migration(
        5,
        "one open flow per user",
        sql(
            """
            CREATE TABLE flows (
                telegram_id INTEGER PRIMARY KEY
                    REFERENCES users (telegram_id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                step TEXT NOT NULL,
                data TEXT NOT NULL DEFAULT '{}',
                token TEXT NOT NULL,
                message_id INTEGER NULL,
                rendered TEXT NULL,
                started_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                expires_at TEXT NOT NULL
            )
            """,
            "DELETE FROM ptb_conversations",
            "DELETE FROM ptb_user_data",
            "DELETE FROM ptb_chat_data",
            "DELETE FROM ptb_bot_data",
        ),
    ),
    # Why: the gateway limits code requests per member and per center, so one Telegram account
    # typing made-up IDs could spend the whole center's hourly budget and lock members out.
    # The bot keeps its own budget per Telegram account (bot/services/linking.py): the times of
    # its code requests and wrong codes, nothing else (no VMS ID). Old rows are pruned as they
    # fall out of the window; the rows go with the user on /forget.
    Migration(
        6,
        "link attempts per Telegram account",
        sql(
            """
            CREATE TABLE link_attempts (
                telegram_id INTEGER NOT NULL
                    REFERENCES users (telegram_id) ON DELETE CASCADE,
                kind TEXT NOT NULL CHECK (kind IN ('request', 'wrong_code')),
                at TEXT NOT NULL
            )
            """,
            "CREATE INDEX link_attempts_by_user ON link_attempts (telegram_id, kind, at)",
        ),
    ),
    # Why: /status (issue 9) must still show something when the gateway is down, slow or wrong,
    # so what it last fetched is kept with the time it was fetched. status_cache holds one
    # row per user: `summary` is JSON the service computes when it fetches (member, counts,
    # hours, the commonest failure), so showing /status is one primary-key read; `tried_at`
    # is the last attempt, for the 30-second refresh limit. status_records keeps the fetched
    # records in the gateway's own order (`position`), so the list pages from here with any
    # gateway's page size and order; `ref` is a short hash of the record id that buttons
    # carry (record ids of other gateways may be long). No resident number, no VMS ID; both
    # tables go with the user on /forget (ON DELETE CASCADE).
    Migration(
        7,
        "status cache",
        sql(
            """
            CREATE TABLE status_cache (
                telegram_id INTEGER PRIMARY KEY
                    REFERENCES users (telegram_id) ON DELETE CASCADE,
                link_id TEXT NOT NULL,
                summary TEXT NULL CHECK (summary IS NULL OR json_valid(summary)),
                fetched_at TEXT NULL,
                tried_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE status_records (
                telegram_id INTEGER NOT NULL
                    REFERENCES users (telegram_id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                ref TEXT NOT NULL,
                record_id TEXT NOT NULL,
                activity_date TEXT NOT NULL,
                host TEXT NOT NULL,
                activity TEXT NOT NULL,
                minutes INTEGER NOT NULL,
                kind TEXT NOT NULL,
                status TEXT NOT NULL,
                sent_at TEXT NULL,
                reason_code TEXT NULL,
                reason_message TEXT NULL,
                visible_on_1365_at TEXT NULL,
                PRIMARY KEY (telegram_id, position)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX status_records_by_status"
            " ON status_records (telegram_id, status, position)",
            "CREATE INDEX status_records_by_ref ON status_records (telegram_id, ref)",
        ),
    ),
    # Why: /send claims the member's one send per hour in the store before calling the
    # gateway, so a double tap, a redelivered update or two devices make one transmission, and
    # remembers each accepted transmission until its result and visibility messages went out.
    # `idempotency_key` is derived from the confirmation's flow token; `record_ids` (opaque
    # gateway ids, JSON) is set only for a send of chosen records. At most one claim per user
    # is open (state 'claimed': sent or about to be, outcome not yet known). `send_waits`
    # keeps the gateway's own 429 Retry-After, which may come from a send made on the VMS
    # website. Both go with the user on /forget; the trigger then drops the due work of
    # their sends (result polls, visibility messages), whose key is the opaque send id.
    Migration(
        8,
        "sends and their hourly claim",
        sql(
            """
            CREATE TABLE sends (
                id INTEGER PRIMARY KEY,
                telegram_id INTEGER NOT NULL
                    REFERENCES users (telegram_id) ON DELETE CASCADE,
                idempotency_key TEXT NOT NULL UNIQUE,
                link_id TEXT NOT NULL,
                record_ids TEXT NULL CHECK (record_ids IS NULL OR json_valid(record_ids)),
                state TEXT NOT NULL
                    CHECK (state IN ('claimed', 'accepted', 'reported', 'done')),
                claimed_at TEXT NOT NULL,
                transmission_id TEXT NULL,
                accepted_at TEXT NULL,
                visible_at TEXT NULL,
                succeeded INTEGER NULL CHECK (succeeded IS NULL OR succeeded >= 0),
                CHECK ((state = 'claimed') = (transmission_id IS NULL))
            )
            """,
            "CREATE UNIQUE INDEX sends_one_claim ON sends (telegram_id) WHERE state = 'claimed'",
            "CREATE INDEX sends_by_user ON sends (telegram_id, accepted_at)",
            """
            CREATE TABLE send_waits (
                telegram_id INTEGER PRIMARY KEY
                    REFERENCES users (telegram_id) ON DELETE CASCADE,
                not_before TEXT NOT NULL
            )
            """,
            """
            CREATE TRIGGER sends_drop_due_work AFTER DELETE ON sends
            BEGIN
                DELETE FROM due_work
                WHERE kind IN ('send.result', 'send.visible') AND key = CAST(OLD.id AS TEXT);
            END
            """,
        ),
    ),
    # Why: the new-record nudge (issue 9) has its own switch in /settings ("새 실적 알림"),
    # apart from the center-notice `reminders`; on by default like reminders. Its due work
    # ('send.nudge', key = the Telegram id) goes with the user on /forget: the trigger drops
    # it, so a forgotten user's item never runs again (its payload holds only an opaque link
    # id and short hashes of record ids, never texts).
    Migration(
        9,
        "new-record nudge switch",
        sql(
            "ALTER TABLE users ADD COLUMN nudges INTEGER NOT NULL DEFAULT 1"
            " CHECK (nudges IN (0, 1))",
            """
            CREATE TRIGGER users_drop_nudge AFTER DELETE ON users
            BEGIN
                DELETE FROM due_work
                WHERE kind = 'send.nudge' AND key = CAST(OLD.telegram_id AS TEXT);
            END
            """,
        ),
    ),
    # Why: center staff (issue 11). Admins are named in ADMIN_TELEGRAM_IDS and never stored;
    # the people they make staff are, with who added them. An invite is a single-use deep
    # link: only the SHA-256 of its token is kept, so a copy of the database cannot be turned
    # into a working invite. audit_log records every staff action (`action` a short code,
    # `detail` JSON without personal data: counts, ids of broadcasts, never a text someone
    # wrote). A staff member who uses /forget leaves the staff (CASCADE); their audit rows
    # stay with the actor set to NULL, so what was done is kept and who did it is not.
    Migration(
        10,
        "staff, staff invites and the audit log",
        sql(
            """
            CREATE TABLE staff (
                telegram_id INTEGER PRIMARY KEY
                    REFERENCES users (telegram_id) ON DELETE CASCADE,
                added_by INTEGER NULL,
                added_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE staff_invites (
                token_hash TEXT PRIMARY KEY,
                created_by INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                used_by INTEGER NULL,
                used_at TEXT NULL,
                CHECK ((used_by IS NULL) = (used_at IS NULL))
            )
            """,
            """
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor INTEGER NULL,
                action TEXT NOT NULL,
                detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
            )
            """,
            "CREATE INDEX audit_log_by_time ON audit_log (at)",
            """
            CREATE TRIGGER users_leave_audit AFTER DELETE ON users
            BEGIN
                UPDATE audit_log SET actor = NULL WHERE actor = OLD.telegram_id;
                UPDATE staff_invites SET used_by = -1 WHERE used_by = OLD.telegram_id;
                UPDATE staff SET added_by = NULL WHERE added_by = OLD.telegram_id;
            END
            """,
        ),
    ),
    # Why: staff broadcasts (issue 11) must survive a crash without sending anyone the same
    # message twice. At confirm, the audience is snapshotted into `deliveries`, one row per
    # recipient, in the same transaction as the broadcast and its 'broadcast.run' due work;
    # the sender records each delivery as it happens ('queued' → 'sending' → 'sent' or
    # 'failed' / 'blocked' / 'gone'; 'sending' rows found after a crash follow the documented
    # at-most-once rule in bot/services/broadcasts.py). The texts are what staff wrote for
    # everyone (HTML), not personal data. Deliveries go with the recipient on /forget; a
    # broadcast outlives the staff member who sent it (created_by becomes NULL).
    Migration(
        11,
        "broadcasts and their deliveries",
        sql(
            """
            CREATE TABLE broadcasts (
                id INTEGER PRIMARY KEY,
                created_by INTEGER NULL,
                reminder_id INTEGER NULL,
                segment TEXT NOT NULL,
                language TEXT NULL CHECK (language IS NULL OR language IN ('ko', 'en')),
                is_reminder INTEGER NOT NULL DEFAULT 0 CHECK (is_reminder IN (0, 1)),
                text_ko TEXT NOT NULL,
                text_en TEXT NULL,
                state TEXT NOT NULL DEFAULT 'sending'
                    CHECK (state IN ('sending', 'done', 'cancelled')),
                created_at TEXT NOT NULL,
                finished_at TEXT NULL,
                progress_chat_id INTEGER NULL,
                progress_message_id INTEGER NULL
            )
            """,
            """
            CREATE TABLE deliveries (
                broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
                telegram_id INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
                state TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'blocked', 'gone')),
                attempts INTEGER NOT NULL DEFAULT 0,
                error TEXT NULL,
                updated_at TEXT NULL,
                PRIMARY KEY (broadcast_id, telegram_id)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX deliveries_by_state ON deliveries (broadcast_id, state)",
            """
            CREATE TRIGGER users_leave_broadcasts AFTER DELETE ON users
            BEGIN
                UPDATE broadcasts SET created_by = NULL WHERE created_by = OLD.telegram_id;
            END
            """,
        ),
    ),
    # Why: help requests (issue 11, "센터에 문의"). A request is open until a staff member
    # answers it (answered_at); the question's text is never stored: it lives only in the
    # copies the bot sent to staff chats, whose message ids are kept so a staff member's
    # reply (reply_to_message) finds its request, and so the others can be told who answered.
    # The volunteer's /forget deletes their requests and copies (CASCADE); a staff member's
    # /forget leaves the requests they answered with answered_by NULL and drops their copies.
    Migration(
        12,
        "help requests and their staff copies",
        sql(
            """
            CREATE TABLE help_requests (
                id INTEGER PRIMARY KEY,
                telegram_id INTEGER NOT NULL
                    REFERENCES users (telegram_id) ON DELETE CASCADE,
                created_at TEXT NOT NULL,
                answered_at TEXT NULL,
                answered_by INTEGER NULL
            )
            """,
            "CREATE INDEX help_requests_by_user ON help_requests (telegram_id, created_at)",
            "CREATE INDEX help_requests_open ON help_requests (id) WHERE answered_at IS NULL",
            """
            CREATE TABLE help_request_copies (
                chat_id INTEGER NOT NULL,
                message_id INTEGER NOT NULL,
                request_id INTEGER NOT NULL
                    REFERENCES help_requests (id) ON DELETE CASCADE,
                PRIMARY KEY (chat_id, message_id)
            )
            """,
            "CREATE INDEX help_request_copies_by_request ON help_request_copies (request_id)",
            """
            CREATE TRIGGER users_leave_help AFTER DELETE ON users
            BEGIN
                UPDATE help_requests SET answered_by = NULL WHERE answered_by = OLD.telegram_id;
                DELETE FROM help_request_copies WHERE chat_id = OLD.telegram_id;
            END
            """,
        ),
    ),
    # Why: scheduled reminders (issue 11). A reminder is a schedule (monthly on a day, weekly
    # on a weekday, both at a local time; or once at a moment), an audience (segment and
    # optional language; always a reminder, so notices-off users are left out) and the text
    # staff wrote. While active it has one 'reminder.fire' due-work item at `next_run_at`;
    # each run launches an ordinary broadcast (broadcasts.reminder_id). A creator who uses
    # /forget leaves their reminders running, without a creator.
    Migration(
        13,
        "scheduled reminders",
        sql(
            """
            CREATE TABLE reminders (
                id INTEGER PRIMARY KEY,
                created_by INTEGER NULL,
                created_at TEXT NOT NULL,
                repeat TEXT NOT NULL CHECK (repeat IN ('monthly', 'weekly', 'once')),
                day INTEGER NULL,
                at_time TEXT NOT NULL,
                once_at TEXT NULL,
                segment TEXT NOT NULL,
                language TEXT NULL CHECK (language IS NULL OR language IN ('ko', 'en')),
                text_ko TEXT NOT NULL,
                text_en TEXT NULL,
                state TEXT NOT NULL DEFAULT 'active'
                    CHECK (state IN ('active', 'paused', 'done')),
                next_run_at TEXT NULL,
                last_run_at TEXT NULL,
                CHECK ((repeat = 'once') = (once_at IS NOT NULL)),
                CHECK (repeat = 'once' OR day IS NOT NULL)
            )
            """,
            """
            CREATE TRIGGER users_leave_reminders AFTER DELETE ON users
            BEGIN
                UPDATE reminders SET created_by = NULL WHERE created_by = OLD.telegram_id;
            END
            """,
        ),
    ),
    # Why: /stats counts over every volunteer (issue 11); at 100,000 users its reads took
    # over a second, almost all of it in three places. (1) Parsing every cached summary:
    # `status_cache_counts` keeps the six numbers /stats takes from each summary, so the
    # count reads them from this index (store/stats.py names it with INDEXED BY, as SQLite
    # 3.40 does not see on its own that an index on expressions covers the query).
    # (2) Failed records: with `status` in the index (a partial index alone makes SQLite
    # fetch each row to re-check it) and the reason and time beside it, the count never
    # opens status_records. `status_cache_by_link` answers "is this cache of the current
    # link" without reading the summary's pages. (3) Sends by time: the last 12 weeks are
    # one range of `sends_by_time` instead of a scan of every send.
    Migration(
        14,
        "indexes for /stats",
        sql(
            """
            CREATE INDEX status_cache_counts ON status_cache (
                telegram_id, link_id,
                json_extract(summary, '$.member.consent_1365.agreed'),
                json_extract(summary, '$.member.consent_vms.agreed'),
                json_extract(summary, '$.unsent.count'),
                json_extract(summary, '$.pending.count'),
                json_extract(summary, '$.succeeded.count'),
                json_extract(summary, '$.failed.count')
            ) WHERE summary IS NOT NULL
            """,
            "CREATE INDEX status_cache_by_link ON status_cache (link_id)",
            "CREATE INDEX status_records_failed"
            " ON status_records (status, telegram_id, reason_code, sent_at)"
            " WHERE status = 'failed'",
            "CREATE INDEX sends_by_time ON sends (accepted_at, telegram_id, succeeded)"
            " WHERE accepted_at IS NOT NULL",
        ),
    ),
    # Why: a staff member's /forget left their Telegram id behind (review of issue 11): a
    # broadcast they sent kept their chat as `progress_chat_id` (with its message id), and
    # the audit log kept them in `detail` as the member an admin added or removed, or as
    # the admin whose invite someone used. The trigger clears those with the user; the first
    # statements do the same for users forgotten before this migration (an id in those places
    # always belonged to someone who wrote to the bot, so a missing user row means /forget).
    # An invite's `created_by` cannot be NULL: it becomes -1, as `used_by` does since 10.
    Migration(
        15,
        "a staff member's /forget clears their id from broadcasts and the audit log",
        sql(
            """
            UPDATE broadcasts SET progress_chat_id = NULL, progress_message_id = NULL
            WHERE progress_chat_id IS NOT NULL
                AND progress_chat_id NOT IN (SELECT telegram_id FROM users)
            """,
            """
            UPDATE audit_log SET detail = json_set(detail, '$.member', json('null'))
            WHERE json_type(detail, '$.member') = 'integer'
                AND json_extract(detail, '$.member') NOT IN (SELECT telegram_id FROM users)
            """,
            """
            UPDATE audit_log SET detail = json_set(detail, '$.invited_by', json('null'))
            WHERE json_type(detail, '$.invited_by') = 'integer'
                AND json_extract(detail, '$.invited_by') NOT IN (SELECT telegram_id FROM users)
            """,
            """
            CREATE TRIGGER users_leave_staff_traces AFTER DELETE ON users
            BEGIN
                UPDATE broadcasts SET progress_chat_id = NULL, progress_message_id = NULL
                    WHERE progress_chat_id = OLD.telegram_id;
                UPDATE audit_log SET detail = json_set(detail, '$.member', json('null'))
                    WHERE json_extract(detail, '$.member') = OLD.telegram_id;
                UPDATE audit_log SET detail = json_set(detail, '$.invited_by', json('null'))
                    WHERE json_extract(detail, '$.invited_by') = OLD.telegram_id;
                UPDATE staff_invites SET created_by = -1 WHERE created_by = OLD.telegram_id;
            END
            """,
        ),
    ),
    # Why: /forget reset the abuse counters (review of issue 15): link_attempts and the help
    # request limit were keyed by the Telegram id and deleted with the user, so one account
    # could cycle /start, made-up IDs and /forget to spend the center's hourly code budget.
    # rate_events keeps the times of code requests, wrong codes and questions for a day
    # (store/rate_limits.py), keyed by an HMAC-SHA256 of the account (or of account and VMS
    # ID) under a per-installation secret made here, once; no id, no foreign key to users.
    # The old rows are carried over under their hashes, then link_attempts is dropped.
    Migration(16, "abuse counters that outlive /forget", _rate_events),
    # Why: due work about one user (the daily nudge, key = the Telegram id) could outlive
    # /forget: a run in flight rescheduled itself after the users trigger of migration 9 had
    # removed it, leaving the id in the file. Such work now names its user in `telegram_id`,
    # so deleting the user deletes it (CASCADE) whatever its kind, and scheduling it inserts
    # only while the user exists (store/due_work.py, schedule_for_user). Existing nudges get
    # the column; a nudge of a user already gone (left by that race) is dropped.
    Migration(
        17,
        "due work about one user goes with the user",
        sql(
            "ALTER TABLE due_work ADD COLUMN telegram_id INTEGER NULL"
            " REFERENCES users (telegram_id) ON DELETE CASCADE",
            "CREATE INDEX due_work_by_user ON due_work (telegram_id) WHERE telegram_id IS NOT NULL",
            """
            UPDATE due_work SET telegram_id = CAST(key AS INTEGER)
            WHERE kind = 'send.nudge'
                AND CAST(key AS INTEGER) IN (SELECT telegram_id FROM users)
            """,
            "DELETE FROM due_work WHERE kind = 'send.nudge' AND telegram_id IS NULL",
        ),
    ),
    # Why: a delivery left 'unknown' by a crash may never have arrived (review of issue 15).
    # Staff may resend a finished broadcast to exactly those people, once: `resend_of` names
    # the broadcast a resend repeats, and the unique index makes a second resend of the same
    # broadcast impossible however the button is pressed (twice, forged, on two devices).
    Migration(
        18,
        "resends of a broadcast's unknown deliveries",
        sql(
            "ALTER TABLE broadcasts ADD COLUMN resend_of INTEGER NULL"
            " REFERENCES broadcasts (id) ON DELETE SET NULL",
            "CREATE UNIQUE INDEX broadcasts_one_resend ON broadcasts (resend_of)"
            " WHERE resend_of IS NOT NULL",
        ),
    ),
    # Why: real mode used to start the embedded sandbox gateway whenever VMS_GATEWAY_URL was
    # unset, so real volunteers linked to simulated members (issue 17). Now each link records
    # which gateway made it: 'sandbox' or the gateway URL's origin. Rows made before this
    # migration are NULL ("not recorded"): the migration cannot know the settings they were
    # made under, so the bot classifies them at its next start (bot/services/trial.py), by
    # the evidence that exists: the link ids the embedded sandbox issued, kept in its own
    # database file beside this one. Links the sandbox made, with their caches, sends and due
    # work, are removed when the bot no longer runs the sandbox, and each volunteer is told
    # once ('trial.farewell'). Guide mode keeps each volunteer's own word about their last
    # send on VMS (self_reports) and asks 24 h later whether 1365 shows it ('guide.check',
    # 'guide.later'). All of it is keyed by the Telegram id and goes with the user on /forget
    # (CASCADE and the trigger).
    Migration(
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
    ),
    # Why: in webhook mode (issue 16) an update is acknowledged to Telegram only once it is
    # stored here, so a crash after the 200 loses nothing, and any worker may run it later.
    # `update_id` is unique: Telegram redelivers until it sees a 2xx, and a redelivered update
    # is stored once. `user_key` orders one user's updates: a worker claims only the oldest
    # open row of a user, under a lease on the injectable clock (claimed_by, lease_until),
    # so two workers never run one user's updates at once and a killed worker's row is taken
    # over when its lease expires. Done rows keep only update_id and times (body and key are
    # emptied, so nothing about the user stays) and are pruned after a day.
    Migration(
        20,
        "webhook inbox",
        sql(*_inbox("INTEGER PRIMARY KEY", "INTEGER")),
        postgres=sql(*_inbox("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT")),
    ),
    # Why (issue 17, part 4): a volunteer's question was never stored, so one that reached no
    # staff member was lost. It is kept now, with its text, until a staff member answers it
    # (the text goes at once) or it expires (`expires_at`, 14 days: due work 'help.expire'
    # clears the text, sets `expired_at` and tells the volunteer once). It goes with the user
    # on /forget (CASCADE from migration 12; the due work by its telegram_id).
    # Part 6 also: reminders remember their last skipped run (`skipped_run_at`).
    # Why (part 5): staff segments counted from the /status cache, which only /status writes,
    # so right after linking or a send they were wrong. `volunteer_facts` keeps, per linked
    # volunteer, what the bot last learned from the gateway by any read (linking, /status,
    # /send, its results, new-record polls), each part with the time it was learned. Filled
    # from the existing caches of current links.
    Migration(
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
    ),
    # Why (issue 16, part 4): several workers share one database and must act as one bot.
    # `leases` names what only one worker may do at a time: a broadcast's sending
    # ("broadcast:<id>", renewed while it runs, taken over when it lapses) and the start-up
    # work ("start_up": `holder` while it runs, `began` on the database server's clock when
    # the last one began, so workers starting together do it once). `until` is on the
    # injectable clock, as every lease. `bot_budget` is Telegram's ~30 messages/s for the
    # whole deployment: one row, the next free send slot and a 429's pause, in seconds of
    # the database server's clock (the one clock every worker shares). Nothing about a user.
    Migration(
        22,
        "leases and the deployment-wide Telegram budget",
        sql(*_leases_and_budget("REAL")),
        postgres=sql(*_leases_and_budget("DOUBLE PRECISION")),
    ),
]

LATEST_VERSION = MIGRATIONS[-1].version

_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""
_CURRENT = "SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations"


def _check_sequence(migrations: Sequence[Migration]) -> None:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migration versions must be 1, 2, 3, ... without gaps: {versions}")


async def migrate(db: Database, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply every migration the database lacks; return the versions applied now.

    On PostgreSQL see _migrate_postgres. On SQLite:

    Every migration runs the way SQLite documents for table rebuilds
    (https://sqlite.org/lang_altertable.html#otheralter): foreign keys off *outside* the
    transaction (inside one the pragma is silently ignored), the change in one IMMEDIATE
    transaction, `PRAGMA foreign_key_check` before COMMIT, foreign keys back on. So dropping
    and recreating `users` cannot cascade into `links`, and a migration that would leave a
    dangling reference is rolled back whole. The flip side: a migration that deletes rows
    gets no ON DELETE CASCADE; delete the dependent rows explicitly or the check refuses it.
    """
    _check_sequence(migrations)
    if db.dialect == "postgres":
        return await _migrate_postgres(db, migrations)
    known = migrations[-1].version if migrations else 0
    async with db.transaction() as tx:
        await tx.execute(_CREATE_LEDGER)
        row = await tx.fetch_one(_CURRENT)
    current = row["version"] if row else 0
    if current > known:
        raise SchemaTooNewError(current, known)

    applied: list[int] = []
    for migration in migrations[current:]:
        if await _apply(db, migration):
            applied.append(migration.version)
    return applied


async def _apply(db: Database, migration: Migration) -> bool:
    """One migration with foreign keys off; False if another process applied it first."""
    await _set_foreign_keys(db, on=False)
    try:
        async with db.transaction() as tx:
            # Re-checked under the write lock: another process may have migrated meanwhile.
            row = await tx.fetch_one(_CURRENT)
            if row is not None and row["version"] >= migration.version:
                return False
            await migration.apply(tx)
            dangling = await tx.fetch_all("PRAGMA foreign_key_check")
            if dangling:
                raise DanglingReferencesError(
                    migration.version, [(r["table"], r["parent"]) for r in dangling]
                )
            await tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, to_text(db.clock.now())),
            )
        return True
    finally:
        await _set_foreign_keys(db, on=True)


async def _set_foreign_keys(db: Database, *, on: bool) -> None:
    await db.write(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    row = await db.fetch_one("PRAGMA foreign_keys")
    # The pragma is a no-op inside a transaction; never run a rebuild believing it is off.
    if row is None or bool(row[0]) != on:
        raise RuntimeError(f"could not turn foreign keys {'on' if on else 'off'}")


# Any constant both workers agree on: the advisory lock that makes migrating one at a time.
_MIGRATION_LOCK = 0x59656F6E67  # "Yeong"


async def _migrate_postgres(db: Database, migrations: Sequence[Migration]) -> list[int]:
    """A blank database gets the baseline (versions 1..BASELINE_VERSION at once), then each
    later migration's `postgres` step, each in its own transaction.

    PostgreSQL checks foreign keys in every statement and its DDL is transactional, so no
    pragma dance: a migration that fails, or would leave a dangling reference, rolls back
    whole. Workers starting together take an advisory lock, held to each commit, so one
    migrates and the others find the work done.
    """
    known = migrations[-1].version if migrations else 0
    applied: list[int] = []
    async with db.transaction() as tx:
        await tx.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
        await tx.execute(_CREATE_LEDGER)
        row = await tx.fetch_one(_CURRENT)
        current = int(row["version"]) if row else 0
        if current > known:
            raise SchemaTooNewError(current, known)
        if current == 0 and known >= BASELINE_VERSION:
            await create_baseline(tx)
            stamp = to_text(db.clock.now())
            await tx.executemany(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [(m.version, m.name, stamp) for m in migrations[:BASELINE_VERSION]],
            )
            applied.extend(m.version for m in migrations[:BASELINE_VERSION])
    for migration in migrations:
        if migration.version <= BASELINE_VERSION:
            continue
        if migration.postgres is None:
            raise ValueError(
                f"migration {migration.version} ({migration.name}) has no PostgreSQL form: "
                "give it postgres=… (the same step if its SQL runs on both engines)"
            )
        async with db.transaction() as tx:
            await tx.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
            row = await tx.fetch_one(_CURRENT)
            if row is not None and int(row["version"]) >= migration.version:
                continue
            await migration.postgres(tx)
            await tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, to_text(db.clock.now())),
            )
        applied.append(migration.version)
    return applied
