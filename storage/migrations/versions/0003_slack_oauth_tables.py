"""Slack OAuth tables for multi-workspace installs

The tables slack_sdk's (Async)SQLAlchemyInstallationStore and OAuthStateStore use, with
their default names and columns (slack_sdk 3.x), created here so they are versioned and
created under the migration lock like everything else. boardbot's Slack adapter still
asks slack_sdk to create them if missing, which is then a no-op.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_COMMON = (
    ("client_id", sa.String(32), False),
    ("app_id", sa.String(32), False),
    ("enterprise_id", sa.String(32), True),
    ("enterprise_name", sa.String(200), True),
)
_BOT = (
    ("team_id", sa.String(32), True),
    ("team_name", sa.String(200), True),
    ("bot_token", sa.String(200), True),
    ("bot_id", sa.String(32), True),
    ("bot_user_id", sa.String(32), True),
    ("bot_scopes", sa.String(1000), True),
    ("bot_refresh_token", sa.String(200), True),
    ("bot_token_expires_at", sa.DateTime(), True),
)


def _cols(spec):
    return [sa.Column(name, type_, nullable=nullable) for name, type_, nullable in spec]


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "slack_installations" not in existing:
        op.create_table(
            "slack_installations",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            *_cols(_COMMON),
            sa.Column("enterprise_url", sa.String(200)),
            *_cols(_BOT),
            sa.Column("user_id", sa.String(32), nullable=False),
            sa.Column("user_token", sa.String(200)),
            sa.Column("user_scopes", sa.String(1000)),
            sa.Column("user_refresh_token", sa.String(200)),
            sa.Column("user_token_expires_at", sa.DateTime()),
            sa.Column("incoming_webhook_url", sa.String(200)),
            sa.Column("incoming_webhook_channel", sa.String(200)),
            sa.Column("incoming_webhook_channel_id", sa.String(200)),
            sa.Column("incoming_webhook_configuration_url", sa.String(200)),
            sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
            sa.Column("token_type", sa.String(32)),
            sa.Column("installed_at", sa.DateTime(), nullable=False),
        )
        op.create_index("slack_installations_idx", "slack_installations",
                        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"])
    if "slack_bots" not in existing:
        op.create_table(
            "slack_bots",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            *_cols(_COMMON),
            *_cols(_BOT),
            sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
            sa.Column("installed_at", sa.DateTime(), nullable=False),
        )
        op.create_index("slack_bots_idx", "slack_bots", ["client_id", "enterprise_id", "team_id", "installed_at"])
    if "slack_oauth_states" not in existing:
        op.create_table(
            "slack_oauth_states",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("state", sa.String(200), nullable=False),
            sa.Column("expire_at", sa.DateTime(), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("slack_oauth_states")
    op.drop_table("slack_bots")
    op.drop_table("slack_installations")
