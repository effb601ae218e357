"""Multi-step, stateful processes. Importing this package registers their button and form actions."""

from bot.workflows import (  # noqa: F401
    agenda,
    challenges,
    reminders,  # noqa: F401
    risks,
)
