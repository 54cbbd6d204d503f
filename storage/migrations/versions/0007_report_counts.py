"""reports: precomputed counts per subtree, indexes for the time-dependent figures

Revision ID: 0007
Revises: 0006

`report_counts` holds, per unit, the report figures that add up the tree (storage.rollups);
it is filled from the people already stored. The two indexes serve the figures that move with
the calendar alone: probation deadlines and the projection's window (storage.reports).
"""

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_counts",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["org_units.id"], name=op.f("fk_report_counts_org_id_org_units")),
        sa.PrimaryKeyConstraint("org_id", "name", "year", "quarter", name=op.f("pk_report_counts")),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.create_index("ix_sources_stage_deadline", ["stage", "recognition_deadline", "org_id"], unique=False)
        batch_op.create_index("ix_sources_stage_awareness", ["stage", "awareness_date", "org_id"], unique=False)
    from storage.rollups import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_index("ix_sources_stage_awareness")
        batch_op.drop_index("ix_sources_stage_deadline")
    op.drop_table("report_counts")
