"""`chibot db backup`: a consistent copy of the SQLite database while the bot runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url



def backup(database_url: str, target: Path) -> None:
    from bot.cli import CliError

    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        raise CliError("db backup chỉ dùng cho SQLite; với PostgreSQL hãy dùng pg_dump")
    source = Path(url.database or "")
    if not source.is_file():
        raise CliError(f"không tìm thấy cơ sở dữ liệu {source}")
    if target.exists():
        raise CliError(f"{target} đã tồn tại; chọn tên tệp khác")
    target.parent.mkdir(parents=True, exist_ok=True)
    # The online backup API copies a consistent snapshot even while the bot writes (WAL).
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
