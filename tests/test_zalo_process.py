"""`chibot run` as an operator runs it, on Zalo: every channel that has a token is served by the
one process; a rejected Zalo token is a clear start-up error that does not show the token; API
errors that repeat the request URL never bring the token into the output."""

from __future__ import annotations

import asyncio
import time

import pytest

from chibot_process import ChibotRun, guard, seed, telegram_env, wait_until, zalo_env
from domain import texts
from fake_telegram import FakeTelegram
from fake_zalo import TOKEN, Fail, FakeZalo

ZALO_USER, TG_USER = "7351988213664211821", 5550001


@guard(150)
async def test_chibot_run_serves_telegram_and_zalo_in_one_process(sqlite_url, tmp_path):
    tg, zl = await FakeTelegram().start(), await FakeZalo().start()
    env = {**telegram_env(sqlite_url, tg), **zalo_env(sqlite_url, zl)}
    run = ChibotRun(tmp_path, env)
    try:
        code = await seed(tmp_path, env, uses=2)
        run.start()
        await wait_until(lambda: zl.poll_requests > 0 and tg.poll_requests > 0, 40, "both channels polling", run)
        zl.push(zl.text_update(ZALO_USER, f"/start {code}"))
        tg.push(tg.message_update(TG_USER, "/huy"))
        [registered] = await zl.wait_for("sendMessage", chat_id=ZALO_USER, timeout=20)
        await tg.wait_for("sendMessage", chat_id=TG_USER, timeout=20)
        assert "Đã đăng ký" in registered["text"]
        assert tg.texts(TG_USER) == [texts.NOTHING_TO_CANCEL]
        assert await run.terminate() == 0, "a clean stop on SIGTERM"
    finally:
        await run.terminate()
        await tg.stop()
        await zl.stop()


@guard(60)
async def test_a_rejected_zalo_token_stops_chibot_run_with_a_clear_error(sqlite_url, tmp_path):
    zl = await FakeZalo(token="999:another-bot-token-entirely").start()
    run = ChibotRun(tmp_path, zalo_env(sqlite_url, zl))
    try:
        run.start()
        code = await run.wait_exit(40)
    finally:
        await run.terminate()
        await zl.stop()
    output = run.output()
    assert code not in (0, None), output[-2000:]
    assert "CHIBOT_ZALO_TOKEN" in output and "rejected" in output, output[-2000:]
    assert TOKEN not in output and TOKEN.split(":", 1)[1] not in output


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
@guard(60)
async def test_api_errors_repeating_the_url_never_show_the_token(webhook, sqlite_url, tmp_path):
    from chibot_process import WEBHOOK_SECRET, free_port

    zl = await FakeZalo().start()
    method = "setWebhook" if webhook else "getUpdates"
    zl.fail(method, *[Fail.echoing()] * 1000)
    run = ChibotRun(tmp_path, zalo_env(sqlite_url, zl, webhook_port=free_port() if webhook else None))
    try:
        run.start()
        deadline = time.monotonic() + 40
        while run.running and len([a for a in zl.attempts if a.method == method]) + zl.poll_requests < 3 \
                and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
    finally:
        await run.terminate()
        await zl.stop()
    output = run.output()
    leaks = [line for line in output.splitlines()
             if TOKEN in line or TOKEN.split(":", 1)[1] in line or WEBHOOK_SECRET in line]
    assert not leaks, "\n".join(leaks[:3])
    assert "failed" in output and "500" in output, output[-2000:]
