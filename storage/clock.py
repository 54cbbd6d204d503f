"""Time helpers: the database stores naive UTC; users see local time (CHIBOT_TIMEZONE)."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def local_today(tz: tzinfo) -> date:
    return datetime.now(tz).date()


def to_local(value: datetime, tz: tzinfo) -> datetime:
    return value.replace(tzinfo=UTC).astimezone(tz)
