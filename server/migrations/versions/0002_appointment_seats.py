"""appointment seats, check-in and cancel times

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:00:00
"""

from alembic import op
import sqlalchemy as sa
import server.models


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seat', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('checked_in_at', server.models.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', server.models.UTCDateTime(),
                                      nullable=True))
        batch_op.create_unique_constraint(
            'uq_appointment_seat', ['site_id', 'queue_id', 'start', 'seat'])


def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_constraint('uq_appointment_seat', type_='unique')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('checked_in_at')
        batch_op.drop_column('seat')
