"""Throughput of `chibot run` against a bare aiogram 3 echo bot, over HTTP on 127.0.0.1.

The load generator runs a lean fake Bot API (benchmarks/fakeapi.py) in its own process and
drives, one after the other, two bot processes through it:
- `chibot run` (the public process interface: CHIBOT_* settings, a fresh SQLite file seeded with
  `chibot demo` and `chibot invite create`, unless --database-url names an empty database);
- benchmarks/echo_bot.py: aiogram 3 answering each message with its text and one inline button,
  each button press with answerCallbackQuery and an echo message.

Users (default 50) are linked with `/start CODE` as secretaries of the demo cells DEMO-CB1..3,
then each repeats a mixed cycle: a question, a one-line `/nguon` report (unique name), `/tinhhinh`,
another question, and a guided `/nguon` (typed name and date, then three button presses whose
callback data is read from the bot's last message). Closed loop by default (a user sends its next
update once the bot's replies to the previous one arrived); `--burst N` instead pushes N
updates at once every `--burst-every` seconds (open loop; questions, reports and `/tinhhinh`).

How many messages answer each kind of update is calibrated first, per bot, by one extra user
(the replies of an update are complete when that many arrived). Figures are taken over a window
of `--seconds` after `--warmup` seconds: updates/s, p50/p99 latency (update pushed → its last
reply recorded by the fake), and the bot process's CPU per update (utime+stime from
/proc/<pid>/stat, children and descendants included; a PostgreSQL server's is not). The fake's
CPU is the load generator's, shown apart (gen ms/upd). Below the table, per bot: the Bot API calls
it made per update (getUpdates included) and the kernel's share of its CPU.

    .venv/bin/python benchmarks/throughput.py [--users 50] [--seconds 20] [--warmup 3]
        [--mode polling|webhook|both] [--burst N --burst-every 1.0] [--only chibot|echo]
        [--database-url postgresql+asyncpg://…/empty_db]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fakeapi import TOKEN, LeanFake  # noqa: E402

try:  # labels of Chibot's buttons; the echo bot's single button is pressed whatever they say
    from domain import texts as _texts

    LABELS = {"category": _texts.CATEGORY_NAMES["doan_vien"], "done": _texts.LABEL_DONE, "skip": _texts.LABEL_SKIP}
except Exception:  # pragma: no cover - the catalogue moved: press the first button
    LABELS = {"category": "", "done": "", "skip": ""}

SECRET = "bench-webhook-secret_0123456789"
CELLS = ("DEMO-CB1", "DEMO-CB2", "DEMO-CB3")
QUESTIONS = (
    "Chỉ tiêu kết nạp đảng viên mỗi năm là bao nhiêu?",
    "Chỉ thị 13-CT/TU là gì?",
    "Cần chú trọng phát triển đảng viên trong những đối tượng nào?",
    "Yêu cầu về lớp bồi dưỡng nhận thức về Đảng là gì?",
    "Ai ký Chỉ thị 13-CT/TU?",
)
# Name parts whose folded (accent-free) forms differ, so every generated name is one person.
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Tạ", "Lương", "Mai")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu", "Kim", "Gia")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Khoa",
         "Khánh", "Lan", "Linh", "Long", "Mạnh", "Nam", "Nga", "Nhung", "Oanh", "Phong", "Phúc",
         "Quân", "Quyên", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Tiến", "Trang", "Trí", "Tuấn",
         "Tùng", "Uyên", "Việt", "Vinh", "Xuyến", "Yến")
STEP_TIMEOUT = 20.0  # seconds an update may wait for its replies before its user gives up


def person(n: int) -> tuple[str, str]:
    """The n-th unique (name, birth date dd/mm/yyyy), n < 4.6 million."""
    index = n
    given, n = GIVEN[n % len(GIVEN)], n // len(GIVEN)
    middle2, n = MIDDLE[n % len(MIDDLE)], n // len(MIDDLE)
    middle, n = MIDDLE[n % len(MIDDLE)], n // len(MIDDLE)
    family, n = FAMILY[n % len(FAMILY)], n // len(FAMILY)
    name = f"{family} {middle} {middle2} {given}" + (f" {GIVEN[n % len(GIVEN)]}" if n else "")
    day, month, year = 1 + index % 28, 1 + (index // 28) % 12, 1990 + index % 15
    return name, f"{day:02d}/{month:02d}/{year}"


# --- processes ----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int, system_only: bool = False) -> float:
    """utime+stime (or stime alone) of `pid` and its waited-for children, plus its live descendants."""
    tick = os.sysconf("SC_CLK_TCK")

    def stat(p: int) -> list[str] | None:
        try:
            return Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            return None

    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = stat(int(entry))
            if fields:
                parents[int(entry)] = int(fields[1])
    family, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in family]
        family.update(children)
        frontier.extend(children)
    total = 0
    for p in family:
        fields = stat(p)
        if fields:
            # utime stime cutime cstime
            total += int(fields[12]) + int(fields[14]) if system_only else sum(int(x) for x in fields[11:15])
    return total / tick


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIBOT_")}
    env.update(extra)
    return env


@dataclass
class Bot:
    """One bot under test: how to prepare it, start it, and what a run of it measured."""

    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    codes: list[str] = field(default_factory=list)  # invite codes per cell ([] for echo)
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    def start(self) -> None:
        self.log_path = self.cwd / f"{self.name}.log"
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    def log_tail(self, lines: int = 20) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def chibot_bot(tmp: Path, fake: LeanFake, users: int, webhook: bool, database_url: str | None,
               profile: str | None = None) -> Bot:
    url = database_url or f"sqlite+aiosqlite:///{tmp}/chibot.sqlite3"
    env = clean_env(CHIBOT_DATABASE_URL=url)
    cli = [sys.executable, "-m", "bot"]
    done = subprocess.run(cli + ["demo"], env=env, cwd=tmp, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"chibot demo failed: {done.stderr}")
    codes = []
    for cell in CELLS:
        done = subprocess.run(cli + ["invite", "create", "--org", cell, "--role", "secretary",
                                     "--uses", str(min(1000, users + 1))],
                              env=env, cwd=tmp, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise SystemExit(f"chibot invite create failed: {done.stderr}")
        codes.append(done.stdout.splitlines()[0].strip())
    env.update(CHIBOT_TELEGRAM_TOKEN=TOKEN, CHIBOT_TELEGRAM_API_BASE=fake.base_url)
    if webhook:
        port = free_port()
        env.update(CHIBOT_WEBHOOK_URL=f"http://127.0.0.1:{port}", CHIBOT_WEBHOOK_SECRET=SECRET,
                   CHIBOT_HTTP_HOST="127.0.0.1", CHIBOT_HTTP_PORT=str(port))
    run = cli + ["run"]
    if profile:  # cProfile of the whole chibot process, written when it stops (SIGTERM)
        run = [sys.executable, "-m", "cProfile", "-o", str(Path(profile).resolve()), "-m", "bot", "run"]
    return Bot("chibot", run, env, tmp, codes)


def echo_bot(tmp: Path, fake: LeanFake, webhook: bool) -> Bot:
    argv = [sys.executable, str(Path(__file__).resolve().parent / "echo_bot.py"),
            "--token", TOKEN, "--api-base", fake.base_url]
    if webhook:
        port = free_port()
        argv += ["--webhook-url", f"http://127.0.0.1:{port}", "--port", str(port), "--secret", SECRET]
    return Bot("echo", argv, clean_env(), tmp)


# --- users --------------------------------------------------------------------------------------
Step = tuple[str, Callable[["User"], dict]]


class User:
    def __init__(self, run: Run, index: int):
        self.run = run
        self.fake = run.fake
        self.id = 7_000_000 + index
        self.index = index
        # Where in the cycle this user starts (never inside the guided flow), so the mix is even.
        self.pos = index % (GUIDED_START + 1)
        self.name = self.birth = ""

    def say(self, text: str) -> dict:
        return self.fake.message(self.id, text)

    def press(self, label_key: str) -> dict:
        """A press of the button labelled LABELS[label_key] on the latest message that has buttons
        (the echo bot's only button when there is no such label)."""
        label = LABELS[label_key]
        for _, _, buttons in reversed(self.fake.chat(self.id).messages):
            data = [b for b in buttons if "callback_data" in b]
            if not data:
                continue
            match = [b for b in data if b["text"].removeprefix("✓ ") == label]
            if not match:
                self.run.fallback_presses += 1
            return self.fake.callback(self.id, (match or data)[0]["callback_data"])
        self.run.fallback_presses += 1
        return self.fake.callback(self.id, "none")

    def new_person(self) -> None:
        self.name, self.birth = person(self.run.next_person())


def q(user: User) -> dict:
    return user.say(QUESTIONS[(user.index + user.pos) % len(QUESTIONS)])


def report(user: User) -> dict:
    user.new_person()
    return user.say(f"/nguon {user.name}; {user.birth}; đoàn viên")


def guided_start(user: User) -> dict:
    user.new_person()
    return user.say("/nguon")


CYCLE: list[Step] = [
    ("question", q),
    ("report", report),
    ("status", lambda u: u.say("/tinhhinh")),
    ("question", q),
    ("guided_start", guided_start),
    ("guided_name", lambda u: u.say(u.name)),
    ("guided_birth", lambda u: u.say(u.birth)),
    ("press_category", lambda u: u.press("category")),
    ("press_done", lambda u: u.press("done")),
    ("press_skip", lambda u: u.press("skip")),
]
GUIDED_START = [kind for kind, _ in CYCLE].index("guided_start")
STATELESS = [step for step in CYCLE if step[0] in ("question", "report", "status")]
# What a Chibot reply must contain (its name) to count as the expected answer.
CHECKS = {"report": lambda name, text: name in text, "press_skip": lambda name, text: name in text}


@dataclass
class Run:
    fake: LeanFake
    bot: Bot
    expected: dict[str, int] = field(default_factory=dict)
    completions: list[tuple[float, float, str]] = field(default_factory=list)  # (at, latency, kind)
    timeouts: int = 0
    wrong: list[str] = field(default_factory=list)
    fallback_presses: int = 0
    persons: int = 0

    def next_person(self) -> int:
        self.persons += 1
        return self.persons

    async def send(self, user: User, kind: str, update: dict) -> float | None:
        """Push one update and wait for its replies; its latency, or None after STEP_TIMEOUT."""
        name = user.name  # the person this update is about (the user may go on meanwhile)
        future = self.fake.push(update, user.id, self.expected.get(kind, 1))
        try:
            latency, replies = await asyncio.wait_for(future, STEP_TIMEOUT)
        except asyncio.TimeoutError:
            self.timeouts += 1
            return None
        self.completions.append((time.perf_counter(), latency, kind))
        check = CHECKS.get(kind) if self.bot.name == "chibot" else None
        if check is not None:
            text = "\n".join(replies)
            if not check(name, text):
                self.wrong.append(f"{kind}: {text[:160]!r}")
        return latency

    async def calibrate(self, user: User, kind: str, update: dict, settle: float = 0.4) -> int:
        """How many messages answer this update: the first, then all that follow within `settle` s."""
        chat = self.fake.chat(user.id)
        before = len(chat.messages)
        future = self.fake.push(update, user.id, None)
        await asyncio.wait_for(future, STEP_TIMEOUT)
        while True:
            chat.changed.clear()
            try:
                await asyncio.wait_for(chat.changed.wait(), settle)
            except asyncio.TimeoutError:
                break
        count = len(chat.messages) - before
        self.expected[kind] = max(self.expected.get(kind, 0), count)
        return count


async def wait_ready(fake: LeanFake, bot: Bot, webhook: bool, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if bot.process.poll() is not None:
            raise SystemExit(f"{bot.name} exited with {bot.process.returncode}:\n{bot.log_tail()}")
        if (fake.webhook_set if webhook else fake.counts.get("getupdates", 0) >= 1):
            return
        await asyncio.sleep(0.05)
    raise SystemExit(f"{bot.name} did not start within {timeout}s:\n{bot.log_tail()}")


async def measure(fake: LeanFake, bot: Bot, args, webhook: bool) -> dict:
    fake.reset()
    if webhook:
        fake.expect_webhook()
    bot.start()
    try:
        await wait_ready(fake, bot, webhook)
        run = Run(fake, bot)
        users = [User(run, i) for i in range(args.users)]
        calibrator = User(run, args.users)

        # Link: /start CODE (echo: any text), calibrated on the extra user first.
        def start_update(user: User) -> dict:
            code = bot.codes[user.index % len(bot.codes)] if bot.codes else "bench"
            return user.say(f"/start {code}")

        await run.calibrate(calibrator, "start", start_update(calibrator), settle=1.0)
        for kind, make in CYCLE:
            await run.calibrate(calibrator, kind, make(calibrator))
        linked = await asyncio.gather(*(run.send(u, "start", start_update(u)) for u in users))
        if any(latency is None for latency in linked):
            raise SystemExit(f"{bot.name}: {linked.count(None)} users not linked:\n{bot.log_tail()}")
        run.completions.clear()
        run.wrong.clear()

        t0 = time.perf_counter()
        window = (t0 + args.warmup, t0 + args.warmup + args.seconds)
        cpu = {}

        async def sample_cpu() -> None:
            await asyncio.sleep(window[0] - time.perf_counter())
            print(f"# {bot.name}: window starts (pid {bot.process.pid})", file=sys.stderr, flush=True)
            cpu["start"] = (time.perf_counter(), cpu_seconds(bot.process.pid), resource.getrusage(resource.RUSAGE_SELF))
            cpu["start_sys"], cpu["start_calls"] = cpu_seconds(bot.process.pid, system_only=True), dict(fake.counts)
            await asyncio.sleep(window[1] - time.perf_counter())
            cpu["end"] = (time.perf_counter(), cpu_seconds(bot.process.pid), resource.getrusage(resource.RUSAGE_SELF))
            cpu["end_sys"], cpu["end_calls"] = cpu_seconds(bot.process.pid, system_only=True), dict(fake.counts)

        async def closed(user: User) -> None:
            while time.perf_counter() < window[1]:
                kind, make = CYCLE[user.pos % len(CYCLE)]
                user.pos += 1
                if await run.send(user, kind, make(user)) is None:
                    return  # this user's chat is stuck; the others go on

        async def bursts() -> None:
            sends, n = [], 0
            while time.perf_counter() < window[1]:
                for _ in range(args.burst):
                    user = users[n % len(users)]
                    kind, make = STATELESS[(n // len(users)) % len(STATELESS)]
                    n += 1
                    sends.append(asyncio.create_task(run.send(user, kind, make(user))))
                await asyncio.sleep(args.burst_every)
            await asyncio.gather(*sends)

        sampler = asyncio.create_task(sample_cpu())
        if args.burst:
            await bursts()
        else:
            await asyncio.gather(*(closed(u) for u in users))
        await sampler

        (ts, cs, rs), (te, ce, re_) = cpu["start"], cpu["end"]
        done = [c for c in run.completions if window[0] <= c[0] <= window[1]]
        latencies = sorted(c[1] for c in done)
        count = len(done)
        gen_cpu = (re_.ru_utime + re_.ru_stime) - (rs.ru_utime + rs.ru_stime)
        return {
            "bot": bot.name,
            "mode": "webhook" if webhook else "polling",
            "updates": count,
            "rate": count / (te - ts),
            "p50": 1000 * statistics.median(latencies) if latencies else float("nan"),
            "p99": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else float("nan"),
            "cpu_ms": 1000 * (ce - cs) / count if count else float("nan"),
            "cpu_util": (ce - cs) / (te - ts),
            "sys_share": (cpu["end_sys"] - cpu["start_sys"]) / (ce - cs) if ce > cs else float("nan"),
            "calls": {m: round((n - cpu["start_calls"].get(m, 0)) / count, 2) for m, n in cpu["end_calls"].items()
                      if count and n > cpu["start_calls"].get(m, 0)},
            "gen_cpu_ms": 1000 * gen_cpu / count if count else float("nan"),
            "timeouts": run.timeouts,
            "wrong": run.wrong,
            "fallback": run.fallback_presses,
            "expected": dict(run.expected),
            "redeliveries": fake.redeliveries,
            "unsolicited": sum(c.unsolicited for c in fake.chats.values()),
            "mix": {kind: n for kind in dict.fromkeys(k for k, _ in CYCLE)
                    if (n := sum(1 for c in done if c[2] == kind))},
        }
    finally:
        bot.stop()


def show(results: list[dict]) -> None:
    print(f"{'bot':8} {'mode':8} {'updates':>8} {'upd/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'cpu ms/upd':>10} {'cpu %':>6} {'gen ms/upd':>10} {'timeouts':>8}")
    for r in results:
        print(f"{r['bot']:8} {r['mode']:8} {r['updates']:8d} {r['rate']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} "
              f"{r['cpu_ms']:10.2f} {100 * r['cpu_util']:6.0f} {r['gen_cpu_ms']:10.2f} {r['timeouts']:8d}")
    for r in results:
        print(f"  {r['bot']}/{r['mode']}: replies per update {r['expected']}; mix {r['mix']}; "
              f"unsolicited {r['unsolicited']}; webhook redeliveries {r['redeliveries']}")
        print(f"  {r['bot']}/{r['mode']}: Bot API calls per update {r['calls']}; "
              f"kernel share of its CPU {100 * r['sys_share']:.0f} %")
        if r["fallback"] and r["bot"] == "chibot":
            print(f"  {r['bot']}: {r['fallback']} presses found no button with the expected label")
        if r["wrong"]:
            print(f"  {r['bot']}: {len(r['wrong'])} unexpected replies, e.g. {r['wrong'][:2]}")
    for mode in dict.fromkeys(r["mode"] for r in results):
        pair = {r["bot"]: r for r in results if r["mode"] == mode}
        if "chibot" in pair and "echo" in pair:
            c, e = pair["chibot"], pair["echo"]
            print(f"ratio chibot/echo ({mode}): updates/s {c['rate'] / e['rate']:.3f}; "
                  f"CPU per update {c['cpu_ms'] / e['cpu_ms']:.1f}x")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="measured window")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--mode", choices=("polling", "webhook", "both"), default="polling")
    parser.add_argument("--burst", type=int, default=0, help="open loop: updates pushed at once")
    parser.add_argument("--burst-every", type=float, default=1.0, help="seconds between bursts")
    parser.add_argument("--only", choices=("chibot", "echo"))
    parser.add_argument("--profile", metavar="PATH", help="write a cProfile of chibot to PATH (slows it)")
    parser.add_argument("--database-url", help="an empty database for chibot (default: a new SQLite file)")
    args = parser.parse_args()
    if not 1 <= args.users <= 999 or not 0 < args.seconds <= 600 or args.burst < 0:
        parser.error("--users 1..999, --seconds in (0, 600], --burst >= 0")
    modes = ("polling", "webhook") if args.mode == "both" else (args.mode,)
    bots = ("chibot", "echo") if args.only is None else (args.only,)
    fake = await LeanFake().start()
    results = []
    try:
        for mode in modes:
            for name in bots:
                with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
                    webhook = mode == "webhook"
                    bot = (chibot_bot(Path(tmp), fake, args.users, webhook, args.database_url, args.profile) if name == "chibot"
                           else echo_bot(Path(tmp), fake, webhook))
                    results.append(await measure(fake, bot, args, webhook))
                    print(f"# {name} {mode}: {results[-1]['rate']:.1f} updates/s", file=sys.stderr, flush=True)
    finally:
        await fake.stop()
    load = (f"open loop: bursts of {args.burst} every {args.burst_every:.1f}s "
            f"(offered {args.burst / args.burst_every:.0f} updates/s, a cap on updates/s)") if args.burst else "closed loop"
    print(f"# {args.users} users, {load}, "
          f"window {args.seconds:.0f}s after {args.warmup:.0f}s warm-up; cpus={os.cpu_count()}")
    show(results)


if __name__ == "__main__":
    asyncio.run(main())
