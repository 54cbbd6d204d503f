"""Who may act where: the one place where roles and scopes are decided.

Scopes use the organisation tree's materialised paths ("/1/5/23/"): a unit is in a staff
member's subtree when its path starts with the staff unit's path.
"""

from __future__ import annotations

SECRETARY = "secretary"
STAFF = "staff"
ADMIN = "admin"
ROLES = (SECRETARY, STAFF, ADMIN)


def in_scope(role: str, own_path: str, target_path: str) -> bool:
    """May a user of `role` at the unit `own_path` see or change data of `target_path`?"""
    if role == ADMIN:
        return True
    if role == SECRETARY:
        return target_path == own_path
    if role == STAFF:
        return target_path.startswith(own_path)
    return False


def can_invite(role: str, own_path: str, target_path: str, target_kind: str, invited: str) -> bool:
    """Admins invite anyone anywhere; staff invite secretaries (of cells) and staff within
    their own subtree; secretaries invite nobody."""
    if invited not in ROLES or (invited == SECRETARY and target_kind != "cell"):
        return False
    if role == ADMIN:
        return True
    if role == STAFF:
        return invited in (SECRETARY, STAFF) and target_path.startswith(own_path)
    return False
