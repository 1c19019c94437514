"""interpreter need, language pass-over time, counter presence

Users' languages come with 0006 (user administration).

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-03 19:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets') as batch:
        batch.add_column(sa.Column('needs_language', sa.String(12), nullable=True))
        batch.add_column(sa.Column('passed_over_at', sa.DateTime(), nullable=True))
    op.create_table(
        'counter_presence',
        sa.Column('site_id', sa.String(40), primary_key=True),
        sa.Column('counter_id', sa.String(40), primary_key=True),
        sa.Column('state', sa.String(8), nullable=False),
        sa.Column('since', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
    )


def downgrade() -> None:
    op.drop_table('counter_presence')
    with op.batch_alter_table('tickets') as batch:
        batch.drop_column('passed_over_at')
        batch.drop_column('needs_language')
