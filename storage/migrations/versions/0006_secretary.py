"""codes never reused; recognition decision; who allowed an admission over 60

Revision ID: 0006
Revises: 0005

A person's code is "N" + the source's id. SQLite hands out max(id) + 1, so after /hoantac
deleted the newest source its code went to the next person; the table is rebuilt with
AUTOINCREMENT, under which SQLite never gives an id twice (PostgreSQL's sequence never does).
The seen-before maximum is carried over from the audit log, so a code given out and undone
before this upgrade is not given again either.
"""

from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ACTIVE_PERSON = sa.text("stage != 'removed'")


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recognition_decision_no", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("over60_decision_no", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("over60_authority", sa.String(length=255), nullable=True))
    if bind.dialect.name != "sqlite":
        return
    # Rebuild with AUTOINCREMENT; the partial unique index is dropped and made again by hand so
    # that its WHERE clause survives the copy.
    op.drop_index("uq_sources_active_person", table_name="sources")
    with op.batch_alter_table("sources", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
        pass
    op.create_index(
        "uq_sources_active_person", "sources", ["org_id", "name_key", "birth_date"], unique=True,
        sqlite_where=ACTIVE_PERSON,
    )
    seen = bind.execute(sa.text(
        "SELECT max(CAST(entity_id AS INTEGER)) FROM audit_log WHERE entity = 'source'"
    )).scalar()
    current = bind.execute(sa.text("SELECT max(id) FROM sources")).scalar()
    highest = max(seen or 0, current or 0)
    if highest:
        bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = 'sources'"))
        bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('sources', :seq)"), {"seq": highest})


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("over60_authority")
        batch_op.drop_column("over60_decision_no")
        batch_op.drop_column("recognition_decision_no")
