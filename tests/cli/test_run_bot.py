"""run_bot.py as an operator runs it: real mode, the console demo, bad settings, signals."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path

import pytest

from sandbox.botapi import BotApiSandbox
from tests.conftest import TOKEN
from tests.helpers.processes import RUN_BOT, clean_env, run, start_demo


async def test_real_mode_without_token_says_how_to_get_one(tmp_path: Path) -> None:
    code, _, err = await run([], tmp_path, clean_env())
    assert code == 2
    assert "@BotFather" in err and "demo" in err
    assert len(err.strip().splitlines()) == 1


async def test_a_bad_setting_is_named_and_exits_2(tmp_path: Path) -> None:
    code, _, err = await run(
        ["real"], tmp_path, clean_env(TIMEZONE="Mars/Olympus", BROADCAST_RATE="fast")
    )
    assert code == 2
    assert "TIMEZONE" in err and "BROADCAST_RATE" in err
    code, _, err = await run(
        ["real"], tmp_path, clean_env(TELEGRAM_BOT_TOKEN="not-a-token-secret-value")
    )
    assert code == 2 and "TELEGRAM_BOT_TOKEN" in err
    assert "not-a-token-secret-value" not in err


async def test_a_gateway_url_without_its_key_stops_with_one_line(tmp_path: Path) -> None:
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, VMS_GATEWAY_URL="https://gw.example.org/v1")
    code, _, err = await run(["real"], tmp_path, env)
    assert code == 2, err
    assert "VMS_GATEWAY_API_KEY" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "data").exists()  # stopped before opening anything


@pytest.mark.parametrize("secret", [None, "", "has spaces", "x" * 257])
async def test_a_webhook_url_without_a_valid_secret_stops_with_one_line(
    tmp_path: Path, secret: str | None
) -> None:
    settings = {"WEBHOOK_URL": "https://bot.example.org/telegram"}
    if secret is not None:
        settings["WEBHOOK_SECRET"] = secret
    code, _, err = await run(["real"], tmp_path, clean_env(TELEGRAM_BOT_TOKEN=TOKEN, **settings))
    assert code == 2, err
    assert "WEBHOOK_SECRET" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    if secret:
        assert secret not in err
    assert not (tmp_path / "data").exists()  # stopped before opening anything


async def test_a_bad_webhook_listen_is_named(tmp_path: Path) -> None:
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        WEBHOOK_URL="https://bot.example.org/telegram",
        WEBHOOK_SECRET="s3cret",
        WEBHOOK_LISTEN="8443",
    )
    code, _, err = await run(["real"], tmp_path, env)
    assert code == 2 and "WEBHOOK_LISTEN" in err
    assert len(err.strip().splitlines()) == 1


async def test_real_mode_without_a_gateway_starts_no_sandbox(tmp_path: Path) -> None:
    """No VMS_GATEWAY_URL: guide mode, said in one line; no simulated gateway anywhere."""
    async with BotApiSandbox(tokens=[TOKEN]) as sandbox:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=sandbox.base_url,
            DATABASE_PATH=str(tmp_path / "real.sqlite3"),
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            RUN_BOT,
            "real",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        await sandbox.user_send(1001, "/start", first_name="민지")
        await sandbox.wait_bot_message(1001, timeout=20)
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, err.decode()
    assert "안내 모드" in err.decode() and "SANDBOX" not in err.decode()
    assert not (tmp_path / "gateway-sandbox.sqlite3").exists()


async def test_dotenv_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ADMIN_TELEGRAM_IDS=1,two\n", encoding="utf-8")
    code, _, err = await run(["real"], tmp_path, clean_env())
    assert code == 2 and "ADMIN_TELEGRAM_IDS" in err


async def test_console_demo_chats_and_quits(tmp_path: Path) -> None:
    script = "/start\n3\n:user 1002 지훈\n/lang\n2\n:quit\n".encode()
    code, out, err = await run(["auto"], tmp_path, clean_env(), stdin=script)
    assert code == 0, err
    assert "콘솔 데모" in out
    assert "안녕하세요, 민지님!" in out
    assert "[1] 📋 연계 방법 안내" in out and "[3] ❓ 도움말" in out
    assert "이렇게 쓰시면 돼요" in out  # pressed button 3
    assert "(수정됨) I'll talk to you in English from now on" in out  # 1002 pressed "English"
    assert "거절" not in out  # no rejected Bot API request
    assert (tmp_path / "data" / "demo.sqlite3").exists()
    assert "Traceback" not in err


async def test_console_demo_stops_cleanly_on_sigint(tmp_path: Path) -> None:
    process = await start_demo(tmp_path)
    assert process.stdout is not None and process.stdin is not None
    await asyncio.wait_for(process.stdout.readuntil(b"> "), 20)
    process.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, err.decode()
    assert "데모를 마쳤어요" in out.decode()
    assert "Traceback" not in err.decode()


async def test_real_mode_serves_a_bot_api_server_and_stops_on_sigterm(tmp_path: Path) -> None:
    async with BotApiSandbox(tokens=[TOKEN]) as sandbox:
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=sandbox.base_url,
            DATABASE_PATH=str(tmp_path / "real.sqlite3"),
            LOG_LEVEL="DEBUG",
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            RUN_BOT,
            "real",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        await sandbox.user_send(1001, "/start", first_name="민지")
        reply = await sandbox.wait_bot_message(1001, timeout=20)
        assert "안녕하세요, 민지님!" in reply.text
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 20)
        assert process.returncode == 0, err.decode()
        logs = err.decode()
        assert "bot stopped" in logs
        assert TOKEN not in logs and TOKEN.split(":")[1] not in logs
        assert sandbox.rejections == []
    assert (tmp_path / "real.sqlite3").exists()


async def test_console_demo_links_a_demo_member_with_the_printed_code(tmp_path: Path) -> None:
    process = await start_demo(tmp_path)
    assert process.stdout is not None and process.stdin is not None

    async def say(line: str) -> str:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(line.encode() + b"\n")
        await process.stdin.drain()
        return (await asyncio.wait_for(process.stdout.readuntil(b"> "), 20)).decode()

    banner = (await asyncio.wait_for(process.stdout.readuntil(b"> "), 20)).decode()
    assert "모의 게이트웨이" in banner and "kindly0904" in banner
    await say("/link")
    shown = await say("kindly0904")
    code = re.search(r"인증번호 (\d{6})", shown)
    assert code is not None, shown
    linked = await say(code.group(1))
    assert "연결했어요" in linked and "VMS 아이디 kin****04" in linked
    assert "sora2008: 1365에서 연계 동의를 했어요" in await say(":consent sora2008 1365 on")
    assert "오늘 2시간 봉사 실적" in await say(":volunteer kindly0904 2")
    assert "시계를 25시간 앞으로" in await say(":clock 25")
    process.stdin.write(b":quit\n")
    _, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()


async def test_a_rejected_token_is_one_line_without_the_token(tmp_path: Path) -> None:
    async with BotApiSandbox(tokens=[TOKEN]) as sandbox:
        wrong = "987654321:WRONG-token-that-telegram-refuses"
        env = clean_env(
            TELEGRAM_BOT_TOKEN=wrong,
            TELEGRAM_API_BASE_URL=sandbox.base_url,
            DATABASE_PATH=str(tmp_path / "real.sqlite3"),
        )
        code, _, err = await run(["real"], tmp_path, env)
    assert code == 2, err
    assert "TELEGRAM_BOT_TOKEN" in err and "Traceback" not in err
    assert "WRONG-token" not in err


async def test_backup_on_postgres_refuses_in_one_line_pointing_to_pg_dump(tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL="postgresql://bot@127.0.0.1:1/yeongye")
    code, out, err = await run(["backup"], tmp_path, env)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "pg_dump" in err
    assert not (tmp_path / "backups").exists()
