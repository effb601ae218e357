"""The App Home tab: the core's "your work" panel (:func:`bot.home.build_panel`) as Block Kit.

Slack shows it when someone opens boardbot's Home tab (``app_home_opened`` -> ``views.publish``).
Neutral data in, Block Kit out; no SDK import, and nothing here reads the database: what
waits on the person is the core's to find.
"""

from __future__ import annotations

from typing import Any

from bot.home import HomePanel
from bot.platforms.slack.blocks import escape, section_blocks, truncate

PREFIX = "/board "  # what a Slack user types before a command
MAX_HOME_BLOCKS = 100


def home_view(panel: HomePanel) -> dict[str, Any]:
    """The Home tab view: area, roles, their work and what to try."""
    title = f"boardbot — {panel.area_name}" if panel.area_name else "boardbot"
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": truncate(title, 150)}}]
    if panel.area_name is None:
        names = ", ".join(panel.area_names) or "none loaded"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": escape(
            "This workspace is not linked to an area yet, so name one in your question "
            f"(\u201cwho leads on CSE in {panel.example_area}?\u201d). Areas: {names}. "
            "An administrator can link it: /board admin link-area <area>.")}})
    else:
        blocks.append({"type": "section", "fields": [
            {"type": "mrkdwn", "text": f"*Area*\n{escape(panel.area_name)}"},
            {"type": "mrkdwn", "text": f"*You are*\n{escape(panel.roles)}"},
        ]})
        if not panel.holds_role:
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(
                "The directory does not list a role for you, so you can look things up. "
                "An administrator links chairs and business managers: /board admin link-user @you chair of <board>.")}]})
    if panel.work:
        blocks.append({"type": "divider"})
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "Your work"}})
        for s in panel.work:
            blocks.extend(section_blocks(s, ()))
    blocks.append({"type": "divider"})
    tries = "\n".join(f"• `{escape(t)}`" for t in panel.tries)
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*Try*\n{tries}"}})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(
        "Answers are shown only to you; add \u201cshare\u201d to post one to the channel. "
        "You can also message boardbot here or @mention it in a channel.")}]})
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = blocks[: MAX_HOME_BLOCKS - 1] + blocks[-1:]
    return {"type": "home", "callback_id": "bb_home", "blocks": blocks}
