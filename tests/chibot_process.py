"""`chibot` as an operator runs it, for tests that drive the real process: the CLI for setup,
`chibot run` as a subprocess against the fake Bot API (tests/fake_telegram.py, or
tests/fake_zalo.py for Zalo) on 127.0.0.1.

Only the public interface is used (CLI commands, CHIBOT_* settings, the database's tables), so
these tests hold whatever the runtime looks like inside.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fake_telegram import TOKEN, FakeTelegram

WEBHOOK_SECRET = "crash-test_webhook-secret_42"

# Name parts whose accent-free forms differ, so two generated names are never one person.
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng", "Bùi")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Khoa", "Lan",
         "Linh", "Long", "Nam", "Nga", "Phong", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Yến")


def people(count: int, offset: int = 0) -> list[tuple[str, str]]:
    """`count` distinct (full name, birth date dd/mm/yyyy) of adults."""
    result = []
    for index in range(offset, offset + count):
        n = index
        given, n = GIVEN[n % len(GIVEN)], n // len(GIVEN)
        middle, n = MIDDLE[n % len(MIDDLE)], n // len(MIDDLE)
        family = FAMILY[n % len(FAMILY)]
        result.append((f"{family} {middle} {given}", f"{1 + index % 28:02d}/{1 + index % 12:02d}/{1985 + index % 15}"))
    assert len({name for name, _ in result}) == count, "names must be unique"
    return result


def mentions(text: str, name: str) -> bool:
    """`name` appears in `text` as a whole name ("Lê Văn An" is not in "Lê Văn Anh")."""
    return re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text) is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The knowledge base's fitted classifier, kept between the tests' starts of chibot (and between
# test runs: a cached model is read only under the same knowledge base, examples and code), outside
# the user's own cache directory.
KB_CACHE_DIR = Path(tempfile.gettempdir()) / "chibot-tests-kb-cache"


def environment(database_url: str, **extra: str) -> dict[str, str]:
    """The process environment: no CHIBOT_* from outside (the cwd has no .env either)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIBOT_")}
    env.update(CHIBOT_DATABASE_URL=database_url, CHIBOT_KB_CACHE_DIR=str(KB_CACHE_DIR), PYTHONUNBUFFERED="1",
               **extra)
    return env


def telegram_env(database_url: str, fake: FakeTelegram, *, webhook_port: int | None = None,
                 token: str = TOKEN, api_base: str | None = None) -> dict[str, str]:
    extra = {"CHIBOT_TELEGRAM_TOKEN": token, "CHIBOT_TELEGRAM_API_BASE": api_base or fake.base_url}
    if webhook_port is not None:
        extra.update(CHIBOT_WEBHOOK_URL=f"http://127.0.0.1:{webhook_port}", CHIBOT_WEBHOOK_SECRET=WEBHOOK_SECRET,
                     CHIBOT_HTTP_HOST="127.0.0.1", CHIBOT_HTTP_PORT=str(webhook_port))
    return environment(database_url, **extra)


def zalo_env(database_url: str, fake, *, webhook_port: int | None = None, token: str | None = None,
             **extra: str) -> dict[str, str]:
    """`chibot run` on Zalo (tests/fake_zalo.py), polling or (with `webhook_port`) webhook."""
    from fake_zalo import TOKEN as ZALO_TOKEN

    settings = {"CHIBOT_ZALO_TOKEN": token or ZALO_TOKEN, "CHIBOT_ZALO_API_BASE": fake.base_url, **extra}
    if webhook_port is not None:
        settings.update(CHIBOT_WEBHOOK_URL=f"http://127.0.0.1:{webhook_port}", CHIBOT_WEBHOOK_SECRET=WEBHOOK_SECRET,
                        CHIBOT_HTTP_HOST="127.0.0.1", CHIBOT_HTTP_PORT=str(webhook_port))
    return environment(database_url, **settings)


async def cli(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> str:
    """Run `chibot ARGS` to completion (without blocking the event loop); its stdout."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, f"chibot {' '.join(args)} failed ({process.returncode}): {err.decode()}"
    return out.decode()


async def seed(cwd: Path, env: dict[str, str], org: str = "DEMO-CB1", uses: int = 10) -> str:
    """`chibot demo` then one secretary invite of `org` for `uses` people; the invite code."""
    await cli(["demo"], cwd, env)
    out = await cli(["invite", "create", "--org", org, "--role", "secretary", "--uses", str(uses)], cwd, env)
    return out.splitlines()[0].strip()


class ChibotRun:
    """`chibot run` in the background; its output is kept in a file per start (`output()`)."""

    def __init__(self, cwd: Path, env: dict[str, str], name: str = "chibot-run", role: str = "web"):
        # `--role web` by default: the scheduler's own messages (reminders that list people by
        # name) would mix with the replies these tests count; scheduler tests pass role="all".
        self.cwd, self.env, self.name, self.role = cwd, env, name, role
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.logs: list[Path] = []

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        self.starts += 1
        path = self.cwd / f"{self.name}-{self.starts}.log"
        self.logs.append(path)
        with open(path, "wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "bot", "run", "--role", self.role],
                                            cwd=self.cwd, env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would."""
        if self.running:
            self.process.send_signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(10)

    async def terminate(self, timeout: float = 15) -> int | None:
        """SIGTERM and wait (bounded) for a clean stop; SIGKILL when it does not stop."""
        if self.process is None:
            return None
        if self.running:
            self.process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.running and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        if self.running:
            self.kill()
        return self.process.wait(10)

    async def wait_exit(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while self.running and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return None if self.running else self.process.returncode

    def output(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.logs if path.exists())

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.output().splitlines()[-lines:])


async def wait_until(condition, timeout: float, what: str, run: ChibotRun | None = None, step: float = 0.05) -> None:
    """Poll `condition()` until true; fail after `timeout` s (or when `run` died) saying `what`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if run is not None and run.process is not None and not run.running:
            raise AssertionError(f"chibot run exited ({run.process.returncode}) while waiting: {what}\n{run.tail()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s: {what}" + (f"\n{run.tail()}" if run else ""))
        await asyncio.sleep(step)


async def started(fake, run: ChibotRun, webhook: bool, timeout: float = 120) -> None:
    """Start `chibot run` and wait until it receives updates: it polls, or it set its webhook.
    (Importing aiogram alone took over 20 s on a loaded shared machine: hence the margin.)"""
    polls, hooks = fake.poll_requests, len(fake.of("setWebhook"))
    run.start()
    # Requests of the new process only: a killed one's long poll may still be answered.
    if webhook:
        await wait_until(lambda: len(fake.of("setWebhook")) > hooks, timeout, "setWebhook", run)
    else:
        await wait_until(lambda: fake.poll_requests > polls, timeout, "the first getUpdates", run)


def guard(seconds: float):
    """Fail the test when it takes longer than `seconds` (instead of hanging CI)."""
    import functools

    def decorate(test):
        @functools.wraps(test)
        async def wrapper(*args, **kwargs):
            return await asyncio.wait_for(test(*args, **kwargs), seconds)

        return wrapper

    return decorate


async def burst_with_kills(fake, run: ChibotRun, webhook: bool, rng, code: str, chats: list, reports: list,
                           message, kills: int) -> int:
    """The crash tests' scenario (tests/test_crash.py, tests/test_zalo_crash.py): register the
    chats with the invite `code`, then push the one-line /nguon `reports` [(chat, name, birth)]
    in slices while `chibot run` handles them, killing it with SIGKILL at a random point of each
    slice (after a random number of its replies, plus a few milliseconds), so some updates are
    done and some are in flight; updates pushed after a kill wait for the restart. The last
    slice goes to the final start, which is left to handle everything (bounded). `message(fake,
    chat, text)` builds the platform's update. Returns the number of kills."""
    await started(fake, run, webhook)
    for chat in chats:
        fake.push(message(fake, chat, f"/start {code}"))
    for chat in chats:
        await fake.wait_for("sendMessage", 1, timeout=30, chat_id=chat)

    cuts = sorted(rng.sample(range(1, len(reports)), kills))
    slices = [reports[a:b] for a, b in zip([0, *cuts], [*cuts, len(reports)])]

    async def push(part) -> None:
        for chat, name, birth in part:
            fake.push(message(fake, chat, f"/nguon {name}; {birth}; đoàn viên"))
            await asyncio.sleep(rng.uniform(0.002, 0.03))

    killed = 0
    for part in slices[:-1]:
        target = len(fake.of("sendMessage")) + rng.randint(0, max(0, len(part) - 2))
        pushing = asyncio.create_task(push(part))
        deadline = time.monotonic() + 5
        while len(fake.of("sendMessage")) < target and time.monotonic() < deadline:
            await asyncio.sleep(0.002)
        await asyncio.sleep(rng.uniform(0.0, 0.05))
        run.kill()
        killed += 1
        await pushing
        await started(fake, run, webhook)
    await push(slices[-1])

    def settled() -> bool:
        return not fake.pending and all(any(mentions(t, name) for t in fake.texts(chat)) for chat, name, _ in reports)

    deadline = time.monotonic() + 20
    quiet_since, sent = time.monotonic(), len(fake.calls)
    while not settled() and time.monotonic() < deadline and run.running:
        await asyncio.sleep(0.1)
        if len(fake.calls) != sent or fake.pending:
            quiet_since, sent = time.monotonic(), len(fake.calls)
        elif time.monotonic() - quiet_since > 5:
            break  # everything delivered was handled and nothing moves: what is missing is lost
    await asyncio.sleep(0.5)  # a duplicate in flight would show now
    return killed


def burst_outcome(database_path: str, fake, reports: list) -> dict:
    """What the database and the chats hold after burst_with_kills: stored rows per name, the
    SQLite integrity check, confirmations per name, and the names lost, stored twice, duplicated."""
    import sqlite3

    with sqlite3.connect(database_path) as db:
        stored = dict(db.execute("SELECT full_name, COUNT(*) FROM sources GROUP BY full_name").fetchall())
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    confirmations = {name: sum(mentions(t, name) for t in fake.texts(chat)) for chat, name, _ in reports}
    return {
        "stored": stored,
        "integrity": integrity,
        "confirmations": confirmations,
        "lost": [name for _, name, _ in reports if name not in stored],
        "twice": {name: n for name, n in stored.items() if n > 1},
        "duplicates": sum(n - 1 for n in confirmations.values() if n > 1),
    }
