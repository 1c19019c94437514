"""privacy and administration: audit trail, daily jobs, user sessions, languages and sites

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-03 19:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('languages', sa.String(60), nullable=False, server_default=''))
        batch.add_column(sa.Column('sites', sa.String(400), nullable=False, server_default=''))
        batch.add_column(
            sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        'audit_entries',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('site_id', sa.String(40), nullable=True),
        sa.Column('actor', sa.String(80), nullable=True),
        sa.Column('action', sa.String(40), nullable=False),
        sa.Column('target', sa.String(200), nullable=True),
        sa.Column('ip', sa.String(64), nullable=True),
    )
    op.create_index('ix_audit_at', 'audit_entries', ['at'])
    op.create_index('ix_audit_actor_at', 'audit_entries', ['actor', 'at'])
    op.create_table(
        'job_runs',
        sa.Column('name', sa.String(40), primary_key=True),
        sa.Column('day', sa.Date(), primary_key=True),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('summary', sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table('job_runs')
    op.drop_index('ix_audit_actor_at', table_name='audit_entries')
    op.drop_index('ix_audit_at', table_name='audit_entries')
    op.drop_table('audit_entries')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('must_change_password')
        batch.drop_column('sites')
        batch.drop_column('languages')
        batch.drop_column('session_version')
