"""Runtime settings from the environment (CHIBOT_*) and `.env`, validated at start."""

from __future__ import annotations

import os
import re
from datetime import time
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.texts import KB_DEFAULT_CONTACT

_API_BASE = re.compile(r"^https?://[^/\s]+$")


class SettingsError(Exception):
    """Raised with a readable, one-problem-per-line message when settings are invalid."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CHIBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = "sqlite+aiosqlite:///data/chibot.sqlite3"
    telegram_token: str = ""
    telegram_api_base: str = "https://api.telegram.org"
    zalo_token: str = ""
    zalo_api_base: str = "https://bot-api.zaloplatforms.com"
    # Seconds one Zalo Bot API request may take before it is retried (send) or repeated (polling).
    zalo_timeout: float = Field(20.0, gt=0, le=300)
    # Public http(s) address under which the web server serves signed, expiring file links
    # (Zalo cannot upload files: photos and documents are sent as links). Empty: no links.
    public_url: str = ""
    file_link_hours: int = Field(24, ge=1, le=24 * 30)  # how long a file link works
    # Key of the file links' signatures (stable across restarts). Empty: derived from the Zalo
    # token, so a new token also invalidates the links given out before.
    file_link_secret: str = ""
    webhook_url: str = ""
    webhook_secret: str = ""
    http_port: int = Field(8080, ge=1, le=65535)
    http_host: str = "0.0.0.0"  # address the web server (webhooks, /healthz) binds to
    # Seconds one Bot API request may take before it is retried (send) or repeated (polling).
    telegram_timeout: float = Field(20.0, gt=0, le=300)
    timezone: str = "Asia/Ho_Chi_Minh"
    target_rate: float = Field(0.04, gt=0, le=1)
    period: str = "2020-2025"
    kb_path: str = ""
    kb_contact: str = KB_DEFAULT_CONTACT  # whom the bot names when it cannot answer
    # Where the knowledge base's fitted classifier is kept between starts ("": the user's cache
    # directory, $XDG_CACHE_HOME/chibot or ~/.cache/chibot; "off": fitted at every start).
    kb_cache_dir: str = ""
    send_rate: float = Field(25.0, gt=0)
    # Messages in flight at once per channel. After a crash at most this many messages can be
    # sent twice (the platforms have no idempotency key), so 1 means: at most one per crash.
    send_concurrency: int = Field(1, ge=1, le=64)
    dialog_ttl_minutes: int = Field(60, ge=1)
    # Quarterly evaluations are due by this day of the quarter's last month.
    evaluation_due_day: int = Field(15, ge=1, le=31)
    # --- scheduled messages (scheduler/) ---
    # No scheduled message goes out in the quiet hours (local time, HH:MM-HH:MM); what falls due
    # then is sent when they end.
    quiet_hours: str = "21:00-07:00"
    # Local hour at which reminders of a day become due.
    reminder_hour: int = Field(8, ge=0, le=23)
    # First evaluation reminder: this day of the quarter's last month (before the due day).
    evaluation_first_day: int = Field(1, ge=1, le=31)
    # Second evaluation reminder: this many days before the due day.
    evaluation_second_days: int = Field(3, ge=0, le=30)
    # After the due day the late cells go to the staff of the unit above; after this many more
    # days, to the staff one level higher.
    evaluation_escalation_days: int = Field(7, ge=1, le=60)
    # Probation: a reminder this many days before the recognition deadline.
    probation_warning_days: int = Field(10, ge=1, le=60)
    # Staff are asked to assign the year's targets from 1 January for this many days.
    target_prompt_days: int = Field(31, ge=1, le=365)
    # Classes: the attendance question is asked this many hours after the class starts, for as
    # many days; the announcement goes out as soon as the class is created.
    class_attendance_hours: int = Field(4, ge=0, le=72)
    class_attendance_days: int = Field(14, ge=1, le=90)
    # Seconds between two runs of the scheduled jobs.
    scheduler_interval: float = Field(60.0, gt=0)
    # Who the console user of `make run` is (created by `chibot demo`).
    console_user: str = "bithu"

    @field_validator("database_url")
    @classmethod
    def _async_url(cls, value: str) -> str:
        if not (value.startswith("sqlite+aiosqlite://") or value.startswith("postgresql+asyncpg://")):
            raise ValueError(
                "must be an async SQLAlchemy URL: sqlite+aiosqlite:///path or postgresql+asyncpg://…"
            )
        return value

    @field_validator("telegram_api_base", "zalo_api_base")
    @classmethod
    def _api_base(cls, value: str) -> str:
        value = value.rstrip("/")
        if not _API_BASE.match(value):
            raise ValueError("must be scheme://host[:port], e.g. http://127.0.0.1:8081")
        return value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        match = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})\s*", value)
        if not match or int(match[1]) > int(match[2]):
            raise ValueError("must be YEAR-YEAR with the first not after the second, e.g. 2020-2025")
        return f"{match[1]}-{match[2]}"

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        if not value.strip():
            return ""
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", value)
        if not match or int(match[1]) > 23 or int(match[3]) > 23 or int(match[2]) > 59 or int(match[4]) > 59:
            raise ValueError("must be HH:MM-HH:MM in local time, e.g. 21:00-07:00 (empty: none)")
        return f"{int(match[1]):02d}:{match[2]}-{int(match[3]):02d}:{match[4]}"

    @field_validator("public_url")
    @classmethod
    def _public(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
            raise ValueError("must be an http(s) URL, e.g. https://chibot.example.vn")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook(cls, value: str) -> str:
        if value and not value.startswith("https://") and not value.startswith("http://"):
            raise ValueError("must be an http(s) URL")
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def period_years(self) -> tuple[int, int]:
        start, end = self.period.split("-")
        return int(start), int(end)

    @property
    def quiet(self) -> tuple[time, time] | None:
        """The quiet hours as (start, end) local times, None when there are none."""
        if not self.quiet_hours or self.quiet_hours[:5] == self.quiet_hours[6:]:
            return None
        start, end = self.quiet_hours.split("-")
        return time.fromisoformat(start), time.fromisoformat(end)

    @property
    def kb_cache(self) -> Path | None:
        """The directory of the classifier cache (CHIBOT_KB_CACHE_DIR), None when it is off."""
        if self.kb_cache_dir.strip().lower() == "off":
            return None
        if self.kb_cache_dir.strip():
            return Path(self.kb_cache_dir.strip()).expanduser()
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "chibot"

    @property
    def has_channels(self) -> bool:
        return bool(self.telegram_token or self.zalo_token)


def load_settings(**overrides) -> Settings:
    """Build settings, turning pydantic's errors into one readable SettingsError."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = "CHIBOT_" + str(err["loc"][0]).upper() if err["loc"] else "CHIBOT_?"
            lines.append(f"{name}: {err['msg']}")
        raise SettingsError("Invalid settings:\n" + "\n".join(lines)) from None
