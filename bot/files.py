"""Files behind signed, expiring links, served by Chibot's own web server.

Zalo cannot receive uploads: `sendPhoto` takes a public URL, and there is no document message.
So a file meant for a Zalo chat is stored in the database (`shared_files`, keyed by the SHA-256
of its name and content, so sending it again reuses the row) and the chat gets a link

    {CHIBOT_PUBLIC_URL}/files/{id}/{filename}?e={expiry, Unix seconds}&s={signature}

where the signature is an HMAC-SHA256 of the id and the expiry. The link works until the expiry
(CHIBOT_FILE_LINK_HOURS, 24 by default) on any worker and after a restart (nothing is kept in
memory); a changed or expired link gets 403/410, an unknown file 404. Expired rows are deleted
when a new file is shared.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import logging
from datetime import datetime, timedelta
from urllib.parse import quote

from aiohttp import web
from sqlalchemy import delete, select, update

from storage.db import insert_ignoring_duplicates
from storage.models import SharedFile

log = logging.getLogger(__name__)

ROUTE = "/files/{file_id}/{name}"
CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".pdf": "application/pdf",
    ".csv": "text/csv; charset=utf-8",
}


def link_key(settings) -> bytes:
    """The signing key: CHIBOT_FILE_LINK_SECRET, else derived from the Zalo token."""
    secret = settings.file_link_secret or ("chibot-file-links:" + (settings.zalo_token or settings.telegram_token))
    return hashlib.sha256(secret.encode()).digest()


def file_id(filename: str, content: bytes) -> str:
    digest = hashlib.sha256(filename.encode() + b"\0")
    digest.update(content)
    return digest.hexdigest()


def _epoch(moment: datetime) -> int:
    return calendar.timegm(moment.timetuple())


def signature(key: bytes, file_id_: str, expires: int) -> str:
    return hmac.new(key, f"{file_id_}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]


def link(settings, file_id_: str, filename: str, expires_at: datetime) -> str:
    expires = _epoch(expires_at)
    sig = signature(link_key(settings), file_id_, expires)
    return f"{settings.public_url}/files/{file_id_}/{quote(filename)}?e={expires}&s={sig}"


async def share(sessions, settings, filename: str, kind: str, content: bytes, now: datetime) -> tuple[str, datetime]:
    """Store the file (or extend the row of the same file) and return (its link, the link's
    expiry, naive UTC)."""
    fid = file_id(filename, content)
    expires_at = (now + timedelta(hours=settings.file_link_hours)).replace(microsecond=0)
    async with sessions() as session:
        async with session.begin():
            await session.execute(delete(SharedFile).where(SharedFile.expires_at < now))
            await session.execute(
                insert_ignoring_duplicates(session, SharedFile).values(
                    id=fid, filename=filename[:255], kind=kind, content=content, created_at=now, expires_at=expires_at,
                )
            )
            await session.execute(
                update(SharedFile).where(SharedFile.id == fid, SharedFile.expires_at < expires_at)
                .values(expires_at=expires_at)
            )
    return link(settings, fid, filename, expires_at), expires_at


def add_route(server, app) -> None:
    """GET /files/{id}/{name} on the web server (bot.web.WebServer)."""

    async def serve(request: web.Request) -> web.StreamResponse:
        fid = request.match_info["file_id"]
        try:
            expires = int(request.query.get("e", ""))
        except ValueError:
            return web.Response(status=403, text="Forbidden")
        given = request.query.get("s", "")
        expected = signature(link_key(app.settings), fid, expires)
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return web.Response(status=403, text="Forbidden")
        if expires <= _epoch(app.services.now()):
            return web.Response(status=410, text="Link expired")
        async with app.services.sessions() as session:
            row = (await session.execute(
                select(SharedFile.filename, SharedFile.kind, SharedFile.content).where(SharedFile.id == fid)
            )).first()
            await session.rollback()
        if row is None:
            return web.Response(status=404, text="Not found")
        filename, kind, content = row
        suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        content_type = CONTENT_TYPES.get(suffix, "application/octet-stream")
        disposition = "inline" if kind == "photo" else "attachment"
        headers = {
            "Content-Type": content_type,
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "private, max-age=3600",
        }
        return web.Response(body=content, headers=headers)

    server.web.router.add_get(ROUTE, serve)
