"""Broadcast throughput under a platform's rate limits: `chibot broadcast` to N secretaries, sent by
`chibot run` (a real process, the real client) to a fake platform API on 127.0.0.1 that enforces
an overall limit (messages per second, a sliding one-second window) and one message per second
per chat, answering 429 with `retry_after` beyond them. Prints, per platform: the achieved rate
as a fraction of the limit (first to last accepted message), 429s received, lost recipients
(never reached) and duplicated messages.

    .venv/bin/python benchmarks/broadcast.py                      # 5,000 recipients, Telegram, 30/s
    .venv/bin/python benchmarks/broadcast.py --recipients 1000 --limit 30

A platform is one `Platform` entry: its fake API (an aiohttp app with `accept()` deciding 200 or
429), the environment that points chibot's client at it, and the channel name of its chat
identities. Zalo's fake answers as the Zalo Bot API does (JSON bodies, errors with HTTP 200,
429 as `{"ok": false, "error_code": 429}`; getUpdates waits and answers 408 when idle). Zalo
publishes no rate limit, so `--zalo-limit` (default: the same as `--limit`) is the configured one.

    .venv/bin/python benchmarks/broadcast.py --platform zalo --zalo-limit 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:TEST-fake_token_for_chibot_bench"
FIRST_CHAT = 8_100_000
TEXT = "Thông báo thử nghiệm: họp bí thư chi bộ lúc 8 giờ ngày 15/12/2026 tại hội trường xã."


@dataclass
class LimitedApi:
    """A fake platform API with an overall and a per-chat limit (429 + retry_after beyond)."""

    limit: float  # messages per second overall
    per_chat: float = 1.0  # seconds between two messages to one chat
    accepted: Counter = field(default_factory=Counter)  # chat -> messages accepted
    times: list[float] = field(default_factory=list)  # when each accepted message arrived
    refused: int = 0
    _window: deque = field(default_factory=deque)
    _last: dict = field(default_factory=dict)
    port: int = 0
    _runner: web.AppRunner | None = None

    def accept(self, chat: int) -> float | None:
        """None when the message is accepted now, else the retry_after to answer."""
        now = time.monotonic()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        last = self._last.get(chat)
        if last is not None and now - last < self.per_chat:
            return max(1.0, self.per_chat - (now - last))
        if len(self._window) >= self.limit:
            return 1.0
        self._window.append(now)
        self._last[chat] = now
        self.accepted[chat] += 1
        self.times.append(now)
        return None

    async def start(self, app: web.Application) -> None:
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


# --- Telegram ----------------------------------------------------------------------------------
def telegram_app(api: LimitedApi) -> web.Application:
    bot = {"id": 123456789, "is_bot": True, "first_name": "Bench", "username": "chibot_bench_bot"}
    message_ids = iter(range(1, 10**9))

    async def handle(request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        params = dict(await request.post()) if request.content_type != "application/json" else await request.json()
        if method == "getme":
            return web.json_response({"ok": True, "result": {**bot, "can_join_groups": True,
                                                             "can_read_all_group_messages": False,
                                                             "supports_inline_queries": False}})
        if method == "getupdates":
            await asyncio.sleep(min(float(params.get("timeout") or 0), 1.0))
            return web.json_response({"ok": True, "result": []})
        if method == "sendmessage":
            chat = int(params["chat_id"])
            retry = api.accept(chat)
            if retry is not None:
                api.refused += 1
                return web.json_response({"ok": False, "error_code": 429,
                                          "description": f"Too Many Requests: retry after {int(retry)}",
                                          "parameters": {"retry_after": int(retry)}}, status=429)
            return web.json_response({"ok": True, "result": {
                "message_id": next(message_ids), "date": int(time.time()), "text": params.get("text", ""),
                "chat": {"id": chat, "type": "private", "first_name": "Bench"}, "from": bot}})
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", handle)
    return app


# --- Zalo --------------------------------------------------------------------------------------
ZALO_TOKEN = "2210000000000000000:TEST-fake-zalo-bot-token-for-bench"


def zalo_app(api: LimitedApi) -> web.Application:
    def ok(result) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    async def handle(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await request.json() if request.can_read_body else {}
        if method == "getMe":
            return ok({"id": "2210000000000000000", "account_name": "bot.bench", "account_type": "BASIC",
                       "can_join_groups": True, "display_name": "Bench"})
        if method == "getUpdates":  # nothing comes in: wait, then 408 (with HTTP 200, as Zalo does)
            await asyncio.sleep(min(float(params.get("timeout") or 30), 1.0))
            return web.json_response({"ok": False, "error_code": 408, "description": "Request timeout"})
        if method == "sendMessage":
            chat = int(params["chat_id"])
            retry = api.accept(chat)
            if retry is not None:
                api.refused += 1
                return web.json_response({"ok": False, "error_code": 429, "description": "Too Many Requests"})
            return ok({"message_id": f"{next(message_ids):032x}", "date": int(time.time() * 1000)})
        if method in ("deleteWebhook", "sendChatAction"):
            return ok(True)
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"})

    message_ids = iter(range(1, 10**12))
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", handle)
    return app


@dataclass(frozen=True)
class Platform:
    name: str
    channel: str  # the chat identities' channel
    app: object  # LimitedApi -> web.Application
    env: object  # base URL -> the CHIBOT_* settings that point chibot at the fake


PLATFORMS = {
    "telegram": Platform(
        "telegram", "telegram", telegram_app,
        lambda base: {"CHIBOT_TELEGRAM_TOKEN": TOKEN, "CHIBOT_TELEGRAM_API_BASE": base}),
    "zalo": Platform(
        "zalo", "zalo", zalo_app,
        lambda base: {"CHIBOT_ZALO_TOKEN": ZALO_TOKEN, "CHIBOT_ZALO_API_BASE": base}),
}


# --- one run -------------------------------------------------------------------------------------
def chibot(args: list[str], env: dict, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"chibot {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def add_secretaries(path: Path, channel: str, count: int) -> list[int]:
    chats = [FIRST_CHAT + i for i in range(count)]
    with sqlite3.connect(path) as db:
        [org] = db.execute("SELECT id FROM org_units WHERE code = 'DEMO-CB2'").fetchone()
        for i, chat in enumerate(chats):
            cursor = db.execute("INSERT INTO users (name, role, org_id, active, created_at) "
                                "VALUES (?, 'secretary', ?, 1, '2026-11-01 00:00:00')", (f"Bí thư {i}", org))
            db.execute("INSERT INTO chat_identities (user_id, channel, external_id, chat_id, blocked, linked_at) "
                       "VALUES (?, ?, ?, ?, 0, '2026-11-01 00:00:00')", (cursor.lastrowid, channel, str(chat), str(chat)))
    return chats


async def measure(platform: Platform, recipients: int, limit: float, send_rate: float, timeout: float) -> dict:
    api = LimitedApi(limit)
    await api.start(platform.app(api))
    with tempfile.TemporaryDirectory(prefix=f"bench-broadcast-{platform.name}-") as tmp:
        cwd = Path(tmp)
        db = cwd / "chibot.sqlite3"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHIBOT_")}
        env.update(CHIBOT_DATABASE_URL=f"sqlite+aiosqlite:///{db}", CHIBOT_QUIET_HOURS="",
                   CHIBOT_SEND_RATE=str(send_rate), PYTHONUNBUFFERED="1")
        chibot(["demo"], env, cwd)
        chats = add_secretaries(db, platform.channel, recipients)
        chibot(["broadcast", "--org", "DEMO-CB2", "--text", TEXT], env, cwd)
        env.update(platform.env(f"http://127.0.0.1:{api.port}"))
        log = open(cwd / "run.log", "wb")
        process = subprocess.Popen([sys.executable, "-m", "bot", "run", "--role", "web"], env=env, cwd=cwd,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started = time.monotonic()
        try:
            while len(api.accepted) < recipients and time.monotonic() - started < timeout:
                if process.poll() is not None:
                    raise SystemExit(f"chibot run exited: {(cwd / 'run.log').read_text()[-2000:]}")
                await asyncio.sleep(0.2)
            await asyncio.sleep(2.0)  # a late duplicate would show now
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()
            await api.stop()
    times = api.times
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = (len(times) - 1) / span if span > 0 else 0.0
    return {"platform": platform.name, "recipients": recipients, "limit": limit, "send_rate": send_rate,
            "accepted": len(times),
            "seconds": round(span, 1), "rate": round(rate, 2), "fraction": round(rate / limit, 3),
            "refused_429": api.refused, "lost": sum(1 for c in chats if api.accepted[c] == 0),
            "duplicated": sum(n - 1 for n in api.accepted.values() if n > 1)}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--limit", type=float, default=30.0, help="overall messages/s the fake allows")
    parser.add_argument("--zalo-limit", type=float, help="the fake Zalo API's limit (default: --limit)")
    parser.add_argument("--send-rate", type=float, help="CHIBOT_SEND_RATE (default: the platform's limit)")
    parser.add_argument("--platform", choices=sorted(PLATFORMS), action="append")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for the last message")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    for name in args.platform or sorted(PLATFORMS):
        limit = (args.zalo_limit or args.limit) if name == "zalo" else args.limit
        results.append(await measure(PLATFORMS[name], args.recipients, limit, args.send_rate or limit, args.timeout))
    for r in results:
        if args.json:
            print(json.dumps(r))
        else:
            print(f"{r['platform']}: {r['accepted']} of {r['recipients']} recipients in {r['seconds']}s — "
                  f"{r['rate']} msg/s = {r['fraction']:.3f} of the {r['limit']:g}/s limit "
                  f"(CHIBOT_SEND_RATE={r['send_rate']:g}); "
                  f"429s {r['refused_429']}, lost {r['lost']}, duplicated {r['duplicated']}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    asyncio.run(main())
