"""reports: byte-order unit paths on PostgreSQL, folded unit names

Revision ID: 0005
Revises: 0004

A subtree is the index range `path >= :p AND path < :p_next` (storage.reports): that holds
only when paths compare byte by byte, so on PostgreSQL the column takes the "C" collation
whatever the database's default (SQLite compares bytes already). `name_key` is the unit's
name folded (no diacritics, lower case) so staff find a unit by part of its name.
"""

from alembic import op
import sqlalchemy as sa

from domain.text import fold


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("org_units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=255), server_default="", nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE org_units ALTER COLUMN path TYPE VARCHAR(1024) COLLATE "C"')
    units = sa.table("org_units", sa.column("id", sa.Integer), sa.column("name", sa.String),
                     sa.column("name_key", sa.String))
    bind = op.get_bind()
    rows = bind.execute(sa.select(units.c.id, units.c.name)).all()
    if rows:
        bind.execute(units.update().where(units.c.id == sa.bindparam("uid"))
                     .values(name_key=sa.bindparam("key")),
                     [{"uid": id_, "key": fold(name)[:255]} for id_, name in rows])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE org_units ALTER COLUMN path TYPE VARCHAR(1024) COLLATE \"default\"")
    with op.batch_alter_table("org_units", schema=None) as batch_op:
        batch_op.drop_column("name_key")
