"""Notices: every proactive post as meant, for each person's inbox and for posts waiting for a channel

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=400), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=16), nullable=False),
        sa.Column('board_key', sa.String(length=64), nullable=False),
        sa.Column('origin', sa.String(length=32), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('channels', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_notices_area_id_areas'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
        sa.UniqueConstraint('key', name=op.f('uq_notices_key')),
    )
    op.create_index('ix_notices_target', 'notices', ['area_id', 'purpose', 'board_key'], unique=False)
    op.create_index(op.f('ix_notices_area_id'), 'notices', ['area_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_notices_area_id'), table_name='notices')
    op.drop_index('ix_notices_target', table_name='notices')
    op.drop_table('notices')
