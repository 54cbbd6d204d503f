"""Time helpers: the database stores naive UTC; users see local time (CHIBOT_TIMEZONE)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(value: datetime, tz: tzinfo) -> datetime:
    return value.replace(tzinfo=UTC).astimezone(tz)
