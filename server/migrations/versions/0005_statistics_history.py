"""statistics: imported history, daily rollup, the estimate told at issue, index by time

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-03 19:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets') as batch:
        batch.add_column(sa.Column('estimated_wait_minutes', sa.Integer(), nullable=True))
    op.create_index('ix_visit_queued_at', 'visits', ['queued_at'])
    op.create_table(
        'history_visits',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('site_id', sa.String(40), nullable=False),
        sa.Column('queue_id', sa.String(40), nullable=False),
        sa.Column('arrived_at', sa.DateTime(), nullable=False),
        sa.Column('called_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('outcome', sa.String(12), nullable=False),
        sa.Column('language', sa.String(5), nullable=True),
        sa.Column('estimated_wait_minutes', sa.Integer(), nullable=True),
        sa.Column('source', sa.String(10), nullable=False),
    )
    op.create_index('ix_history_site_arrived', 'history_visits', ['site_id', 'arrived_at'])
    op.create_table(
        'statistics_days',
        sa.Column('site_id', sa.String(40), primary_key=True),
        sa.Column('day', sa.Date(), primary_key=True),
        sa.Column('data', sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('statistics_days')
    op.drop_index('ix_history_site_arrived', table_name='history_visits')
    op.drop_table('history_visits')
    op.drop_index('ix_visit_queued_at', table_name='visits')
    with op.batch_alter_table('tickets') as batch:
        batch.drop_column('estimated_wait_minutes')
