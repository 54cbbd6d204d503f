"""`chibot db backup`: a consistent copy of the SQLite database while the bot runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from domain import texts



def backup(database_url: str, target: Path) -> None:
    from bot.cli import CliError

    url = make_url(database_url)
    if not url.drivername.startswith("sqlite"):
        raise CliError(texts.CLI_BACKUP_NOT_SQLITE)
    source = Path(url.database or "")
    if not source.is_file():
        raise CliError(texts.CLI_BACKUP_NO_DB.format(path=source))
    if target.exists():
        raise CliError(texts.CLI_BACKUP_EXISTS.format(path=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    # The online backup API copies a consistent snapshot even while the bot writes (WAL).
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
