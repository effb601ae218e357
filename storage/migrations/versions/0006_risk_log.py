"""The risk log partners share, where an area's protocol names one

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'risk_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=300), nullable=False),
        sa.Column('board_key', sa.String(length=64), nullable=False),
        sa.Column('raised_for', sa.String(length=64), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('owner', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('review_on', sa.Date(), nullable=True),
        sa.Column('last_review', sa.Text(), nullable=True),
        sa.Column('reviewed_at', UTCDateTime(), nullable=True),
        sa.Column('closed_reason', sa.Text(), nullable=True),
        sa.Column('closed_at', UTCDateTime(), nullable=True),
        sa.Column('raised_by', sa.String(length=300), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_risk_entries_area_id_areas'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_entries')),
        sa.UniqueConstraint('area_id', 'number', name=op.f('uq_risk_entries_area_id')),
        sa.UniqueConstraint('idempotency_key', name=op.f('uq_risk_entries_idempotency_key')),
    )
    op.create_index(op.f('ix_risk_entries_area_id'), 'risk_entries', ['area_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_risk_entries_area_id'), table_name='risk_entries')
    op.drop_table('risk_entries')
