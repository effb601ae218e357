"""Each protocol revision keeps its head (area, protocol details, theme names) and its document compressed, so a server starts without decoding every document

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both backends, as in 0007. Rows written before this migration are
# filled in when the store opens (storage.revisions.pack_missing), from the one definition of
# a head (storage.documents.pack), not from a copy of it frozen here.


def upgrade() -> None:
    op.add_column('protocol_revisions', sa.Column('head', sa.JSON(), nullable=True))
    op.add_column('protocol_revisions', sa.Column('packed', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column('protocol_revisions', 'packed')
    op.drop_column('protocol_revisions', 'head')
