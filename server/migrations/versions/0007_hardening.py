"""login throttling per address; kiosk device keys

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-03 19:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # users.session_version comes with 0006 (user administration ends sessions the same way).
    op.create_index('ix_login_failure_addr_at', 'login_failures', ['remote_addr', 'at'])
    op.create_table(
        'health_probe',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'kiosk_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kiosk_id', sa.String(length=40), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['created_by'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key_hash'),
    )
    op.create_index('ix_kiosk_keys_kiosk_id', 'kiosk_keys', ['kiosk_id'])
    op.create_table(
        'anonymous_issues',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.String(length=40), nullable=False),
        sa.Column('client', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_anonymous_issue_client_at', 'anonymous_issues', ['client', 'at'])
    op.create_index('ix_anonymous_issue_site_at', 'anonymous_issues', ['site_id', 'at'])


def downgrade() -> None:
    op.drop_table('anonymous_issues')
    op.drop_table('kiosk_keys')
    op.drop_table('health_probe')
    op.drop_index('ix_login_failure_addr_at', table_name='login_failures')
