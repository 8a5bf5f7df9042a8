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
USAGE = "사용법 / usage: python run_bot.py [real|demo|auto|backup]"
BACKUP_DONE = "백업했어요 / Backed up to: {path}"
BACKUP_FAILED = "백업하지 못했어요 / Backup failed: {detail}"
BACKUP_POSTGRES = (
    "PostgreSQL은 pg_dump로 백업하세요 / On PostgreSQL, back up with pg_dump: "
    'pg_dump -Fc -f yeongye.dump "$DATABASE_URL"'
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
