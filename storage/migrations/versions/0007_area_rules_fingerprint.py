"""Each area remembers what its protocol reminders were derived from, so a restart need not derive them again

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both backends (SQLite has had DROP COLUMN since 3.35): a batch copy of
# ``areas`` would drop the old table, and with foreign keys on, SQLite deletes what refers to it.


def upgrade() -> None:
    op.add_column('areas', sa.Column('rules_fingerprint', sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column('areas', 'rules_fingerprint')
