"""Operator-facing lines printed by run_bot.py (console, not Telegram), Korean first then English."""

NO_TOKEN = (
    "TELEGRAM_BOT_TOKEN이 없어요. @BotFather에게 /newbot 으로 토큰을 받아 .env에 넣거나, "
    "토큰 없이 체험하려면 `make run`(또는 `python run_bot.py demo`)을 실행해 주세요. / "
    "TELEGRAM_BOT_TOKEN is not set: get one from @BotFather (/newbot) and put it in .env, "
    "or try the console demo with `make run` (or `python run_bot.py demo`)."
)
TOKEN_REJECTED = (
    "Telegram이 TELEGRAM_BOT_TOKEN을 거절했어요. @BotFather에서 토큰을 다시 확인해 주세요. / "
    "Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather."
)
BOT_API_UNREACHABLE = (
    "Bot API 서버(TELEGRAM_API_BASE_URL)에 연결할 수 없어요 / "
    "Cannot reach the Bot API server (TELEGRAM_API_BASE_URL): {error}"
)
BAD_SETTING = "설정 값이 잘못됐어요 / Bad setting: {detail}"
SCHEMA_TOO_NEW = "데이터베이스가 이 버전보다 새 버전의 봇으로 만들어졌어요 / {detail}"
USAGE = (
    "사용법 / usage: python run_bot.py [real [--take-over-webhook]|demo|auto|backup]\n"
    "        python run_bot.py migrate-store --from data/yeongye.sqlite3 --to postgresql://…"
)
BACKUP_DONE = "백업했어요 / Backed up to: {path}"
BACKUP_FAILED = "백업하지 못했어요 / Backup failed: {detail}"
BACKUP_POSTGRES = (
    "PostgreSQL은 pg_dump로 백업하세요 / On PostgreSQL, back up with pg_dump: "
    'pg_dump -Fc -f yeongye.dump "$DATABASE_URL"'
)
MIGRATE_REFUSED = "옮기지 않았어요(아무것도 쓰지 않았어요) / Not moved (nothing written): {detail}"
MIGRATE_FAILED = "옮기지 못했어요(되돌렸어요) / The move failed (rolled back): {detail}"
MIGRATE_HEADER = "{table:<24} {source:>10} {target:>12}"
MIGRATE_DONE = (
    "{tables}개 표, {rows}행을 옮겼어요: {source} → {target}. 이제 DATABASE_URL을 이 주소로 "
    "바꾸고 봇을 시작하세요. / Moved {rows} rows of {tables} tables: {source} → {target}. "
    "Now set DATABASE_URL to this URL and start the bot."
)
AUTO_DEMO = "토큰이 없어 콘솔 데모를 시작해요 / No token set: starting the console demo."
SANDBOX_GATEWAY = (
    "⚠️  모의 게이트웨이(sandbox)를 함께 띄워요. VMS·1365 데이터는 모두 가상이에요.\n"
    "⚠️  Running the embedded SANDBOX gateway. All VMS/1365 data are SIMULATED.\n"
    "    demo VMS IDs: {members}"
)
GUIDE_MODE = (
    "ℹ️  VMS_GATEWAY_URL이 없어 안내 모드로 실행해요: /link·/status·/send는 VMS·1365 사이트에서 "
    "직접 하는 방법을 안내해요. / VMS_GATEWAY_URL is not set: guide mode (no gateway; /link, "
    "/status and /send lead volunteers through the sites)."
)
POLLING_CONFLICT = (
    "다른 프로세스가 이미 이 봇의 업데이트를 폴링으로 받고 있어요(getUpdates 409 Conflict). "
    "폴링은 한 프로세스만 할 수 있으니 다른 하나를 끄거나, 여러 대로 돌리려면 웹훅 모드"
    "(WEBHOOK_URL)를 쓰세요. / Another process is already polling this bot (getUpdates "
    "answered 409 Conflict): only one process may poll. Stop the other one, or use webhook "
    "mode (WEBHOOK_URL) to run several."
)
WEBHOOK_IS_SET = (
    "이 봇에는 웹훅({url})이 설정되어 있어서 폴링을 시작하지 않았어요: 폴링을 시작하면 그 웹훅이 "
    "지워져요. 웹훅으로 운영한다면 WEBHOOK_URL을 설정하고, 정말 폴링으로 바꾸려면 "
    "`python run_bot.py real --take-over-webhook`으로 실행하세요. / A webhook ({url}) is set "
    "for this bot, so polling did not start (it would delete the webhook). Set WEBHOOK_URL to "
    "run in webhook mode, or run `python run_bot.py real --take-over-webhook` to switch this "
    "bot to polling."
)
WEBHOOK_TOOK_OVER = (
    "폴링하는 동안 이 봇에 웹훅이 설정됐어요(다른 배포가 업데이트를 넘겨받음). 폴링을 멈춰요. / "
    "A webhook was set for this bot while it was polling (another deployment took its "
    "updates over): stopping."
)
