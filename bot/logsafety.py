"""No secrets in logs: a filter that redacts every log record before any handler writes it.

Redacted wherever they appear — the message, its arguments, the exception text and traceback,
the stack — including the URLs and response bodies that aiohttp and aiogram put into their
exception texts:
- the configured Telegram and Zalo tokens (whole, and a Telegram token's secret part after the
  colon), the webhook secret, the database URL's password, also percent-encoded;
- any `bot<digits>:<token>` path segment (the Bot API's URL form, whatever the token);
- any `scheme://user:password@` credential in a URL.

`install(settings)` puts the filter on every handler of the root logger (records of every
library logger pass through them) and returns it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote

REDACTED = "[redacted]"
_BOT_PATH = re.compile(r"(?i)\bbot\d{3,}(?::|%3A)[A-Za-z0-9_-]{10,}")
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/?#@\s]*:)[^@/\s]+@", re.IGNORECASE)
_MIN_SECRET = 6  # shorter values would redact ordinary words


class Redactor:
    def __init__(self, secrets: Iterable[str]):
        variants: set[str] = set()
        for secret in secrets:
            if secret and len(secret) >= _MIN_SECRET:
                variants.update({secret, quote(secret, safe=""), quote(secret)})
        ordered = sorted(variants, key=len, reverse=True)
        self._secrets = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __call__(self, text: str) -> str:
        if not text:
            return text
        text = _BOT_PATH.sub("bot" + REDACTED, text)
        text = _URL_PASSWORD.sub(r"\1" + REDACTED + "@", text)
        if self._secrets is not None:
            text = self._secrets.sub(REDACTED, text)
        return text


def secrets_of(settings) -> list[str]:
    """The values from the settings that must never be logged."""
    names = ("telegram_token", "zalo_token", "webhook_secret", "file_link_secret")
    values = [getattr(settings, name, "") or "" for name in names]
    for name in ("telegram_token", "zalo_token"):  # both have the form <bot id>:<secret>
        token = getattr(settings, name, "") or ""
        if ":" in token:
            values.append(token.split(":", 1)[1])
    url = getattr(settings, "database_url", "") or ""
    try:
        from sqlalchemy.engine import make_url

        password = make_url(url).password if url else None
    except Exception:  # not a URL SQLAlchemy reads: the URL pattern still applies
        password = None
    if password:
        values.append(str(password))
    return values


class RedactingFilter(logging.Filter):
    """Rewrites a record in place: message and arguments merged and redacted, exception and
    stack text formatted now and redacted (the handlers then print the redacted text)."""

    def __init__(self, redact: Redactor):
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is
            message = f"{record.msg} {record.args}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(settings, logger: logging.Logger | None = None) -> RedactingFilter:
    """Redact every record that reaches the handlers of `logger` (the root logger by default)."""
    logger = logger or logging.getLogger()
    redacting = RedactingFilter(Redactor(secrets_of(settings)))
    for handler in logger.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(redacting)
    return redacting
