"""partial index of the waiting tickets that jump the line

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 19:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        'ix_ticket_jumps_line', 'tickets', ['site_id', 'service_day', 'queue_id', 'status'],
        sqlite_where=sa.text('priority IS 1 OR appointment_id IS NOT NULL'),
        postgresql_where=sa.text('priority IS true OR appointment_id IS NOT NULL'),
    )


def downgrade() -> None:
    op.drop_index('ix_ticket_jumps_line', table_name='tickets')
