"""Demo data for trying Chibot out: a small tree and two console users. Idempotent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain import texts
from domain.errors import RuleError
from storage.models import ChatIdentity, OrgUnit, User
from usecases.orgs import import_orgs
from usecases.uow import Actor, UnitOfWork

DEMO_TREE = [
    ("DEMO", "", "Đảng bộ tỉnh (mẫu)", "province", 0),
    ("DEMO-H1", "DEMO", "Huyện ủy An Nhơn (mẫu)", "district", 0),
    ("DEMO-X1", "DEMO-H1", "Đảng ủy xã Nhơn Hậu (mẫu)", "grassroots", 3),
    ("DEMO-CB1", "DEMO-X1", "Chi bộ thôn Thanh Liêm (mẫu)", "cell", 24),
    ("DEMO-CB2", "DEMO-X1", "Chi bộ thôn Vạn Thuận (mẫu)", "cell", 31),
    ("DEMO-X2", "DEMO-H1", "Đảng ủy xã Nhơn Phong (mẫu)", "grassroots", 2),
    ("DEMO-CB3", "DEMO-X2", "Chi bộ thôn Thanh Giang (mẫu)", "cell", 18),
]
DEMO_USERS = [
    ("bithu", "Nguyễn Văn Bình", "secretary", "DEMO-CB1"),
    ("canbo", "Trần Thị Lan", "staff", "DEMO"),
]


async def seed_demo(session: AsyncSession, now: datetime) -> list[str]:
    """Create what is missing and describe what exists (lines for the terminal).

    Refused (RuleError) on a database that holds a real tree: demo units and people must never
    appear in a real report. The demo belongs in its own database file."""
    roots = set((await session.scalars(select(OrgUnit.code).where(OrgUnit.parent_id.is_(None)))).all())
    real = sorted(roots - {DEMO_TREE[0][0]})
    if real:
        raise RuleError(texts.DEMO_REFUSED_REAL_TREE.format(root=real[0]))
    have = set((await session.scalars(select(OrgUnit.code))).all())
    if not {row[0] for row in DEMO_TREE} <= have:
        rows = [dict(zip(("code", "parent_code", "name", "kind", "members"), map(str, r))) for r in DEMO_TREE]
        await import_orgs(UnitOfWork(session, Actor.system("demo"), clock=lambda: now), rows)
    lines = [texts.DEMO_TREE.format(n=len(DEMO_TREE))]
    for login, name, role, code in DEMO_USERS:
        org = await session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        identity = await session.scalar(
            select(ChatIdentity).where(ChatIdentity.channel == "console", ChatIdentity.external_id == login)
        )
        if identity is None:
            user = User(name=name, role=role, org_id=org.id, active=True, created_at=now)
            session.add(user)
            await session.flush()
            session.add(
                ChatIdentity(user_id=user.id, channel="console", external_id=login, chat_id=login,
                             blocked=False, linked_at=now)
            )
        lines.append(texts.DEMO_USER.format(login=login, name=name, role=texts.ROLE_NAMES[role],
                                            unit=org.name, code=code))
    await session.flush()
    return lines
