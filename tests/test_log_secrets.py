"""No secret in any output line of `chibot run` when the Bot API misbehaves: an API base nobody
listens on, a 401, an HTML 404 page and JSON 500 bodies that repeat the request URL (token in
the path, parameters such as the webhook secret in the query). Each case runs the real process
for a few seconds against the fake Bot API on 127.0.0.1, then stops it with SIGTERM.
"""

from __future__ import annotations

import asyncio
import re
import time
from urllib.parse import quote

import pytest

from bot.logsafety import REDACTED, Redactor, secrets_of
from bot.settings import Settings
from chibot_process import WEBHOOK_SECRET, ChibotRun, free_port, guard, telegram_env
from fake_telegram import TOKEN, Fail, FakeTelegram

FORBIDDEN = sorted({TOKEN, TOKEN.split(":", 1)[1], WEBHOOK_SECRET, quote(TOKEN, safe=""), quote(WEBHOOK_SECRET)})
FAILURE_LOGGED = re.compile(r"(?i)fail|error|unauthori|rejected|refused|cannot|retry")

CASES = {
    # name: (what the fake does, webhook mode)
    "closed port": ("closed", True),
    "invalid port 99999": ("99999", True),
    "401 unauthorized": ("401", True),
    "HTML 404 repeating the path": ("404", True),
    "JSON 500 repeating the URL": ("500", True),
    "setWebhook: JSON 500 repeating the URL and parameters": ("webhook500", True),
    "getUpdates: HTML 404 repeating the path": ("poll404", False),
}


async def run_failing(kind: str, webhook: bool, sqlite_url: str, tmp_path) -> tuple[ChibotRun, FakeTelegram]:
    fake = await FakeTelegram().start()
    api_base = {"closed": f"http://127.0.0.1:{free_port()}", "99999": "http://127.0.0.1:99999"}.get(kind)
    if kind == "401":
        fake.fail_always(Fail.unauthorized())
    elif kind == "404":
        fake.fail_always(Fail.not_found_page())
    elif kind == "500":
        fake.fail_always(Fail.echoing_error(500))
    elif kind == "webhook500":
        fake.fail("setWebhook", *[Fail.echoing_error(500)] * 1000)
    elif kind == "poll404":
        fake.fail("getUpdates", *[Fail.not_found_page()] * 1000)
    run = ChibotRun(tmp_path, telegram_env(sqlite_url, fake, api_base=api_base,
                                           webhook_port=free_port() if webhook else None))

    def failures_seen() -> int:
        if kind == "poll404":
            return fake.poll_requests
        if kind == "webhook500":
            return len([a for a in fake.attempts if a.method.lower() == "setwebhook"])
        if api_base is not None:
            return sum(bool(FAILURE_LOGGED.search(line)) for line in run.output().splitlines())
        return len(fake.attempts)

    run.start()
    try:
        deadline = time.monotonic() + 40
        while run.running and failures_seen() < 3 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
    finally:
        await run.terminate()
        await fake.stop()
    return run, fake


@pytest.mark.parametrize("case", list(CASES))
@guard(60)
async def test_no_token_or_secret_in_the_output_when_the_bot_api_fails(case, sqlite_url, tmp_path):
    kind, webhook = CASES[case]
    run, _ = await run_failing(kind, webhook, sqlite_url, tmp_path)
    output = run.output()
    leaks = [line for line in output.splitlines() if any(secret in line for secret in FORBIDDEN)]
    assert not leaks, f"{case}: {len(leaks)} lines show the token or the webhook secret, e.g.:\n" + "\n".join(leaks[:3])
    assert FAILURE_LOGGED.search(output), f"{case}: the failure was not logged at all:\n{output[-2000:]}"
    if kind == "401":
        assert run.process.returncode not in (0, None), "a rejected token stops chibot run"
        assert "CHIBOT_TELEGRAM_TOKEN" in output, output[-2000:]


def test_redactor_hides_tokens_secrets_and_database_passwords_anywhere():
    settings = Settings(_env_file=None, telegram_token=TOKEN, zalo_token="zalo-token-0123456789",
                        webhook_secret=WEBHOOK_SECRET,
                        database_url="postgresql+asyncpg://chibot:p%40ss-w0rd!@db.local:5432/chibot")
    redact = Redactor(secrets_of(settings))
    text = redact(
        f"GET https://api.telegram.org/bot{TOKEN}/getMe failed; body: secret_token={WEBHOOK_SECRET}; "
        f"other bot bot987654321:AAH-other_token_abcdefgh/sendMessage; zalo zalo-token-0123456789; "
        f"encoded bot{quote(TOKEN, safe='')}; db postgresql+asyncpg://chibot:p%40ss-w0rd!@db.local/chibot; "
        f"raw password p@ss-w0rd!; secret part {TOKEN.split(':')[1]}"
    )
    for secret in (*FORBIDDEN, "AAH-other_token_abcdefgh", "zalo-token-0123456789", "p%40ss-w0rd!", "p@ss-w0rd!"):
        assert secret not in text, (secret, text)
    assert text.count(REDACTED) >= 8 and "api.telegram.org" in text and "db.local" in text, text
