"""Multi-step, stateful processes. Importing this package registers their button and form actions."""

from bot.workflows import agenda, challenges  # noqa: F401
