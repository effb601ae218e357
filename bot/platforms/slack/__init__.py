"""Slack: Bolt for Python mounted in boardbot's own aiohttp app.

    POST /slack/events          slash commands, buttons, modals and events (one Bolt AsyncApp)
    GET  /slack/install         "Add to Slack" (multi-workspace, when SLACK_CLIENT_ID is set)
    GET  /slack/oauth_redirect  the end of the OAuth dance

The package, by what each module does (only :mod:`.app`, :mod:`.runtime`, :mod:`.replies`,
:mod:`.listeners`, :mod:`.retries` and :mod:`.sender` import ``slack_bolt`` / ``slack_sdk``,
and only once Slack is on):

- :mod:`.app` — the Bolt app, the signed endpoint, OAuth (:class:`~.app.SlackPlatform`);
- :mod:`.listeners` — what each slash command, modal, button, event and uninstall does;
- :mod:`.replies` — how an answer reaches the person: response_url, modals, channel, DM;
- :mod:`.runtime` — background work, the core call, acting once, who is asking;
- :mod:`.sender` — the outbox's sender; :mod:`.retries` — which Web API calls are retried;
- :mod:`.blocks` / :mod:`.forms` — Block Kit and modals from neutral replies (plain data);
- :mod:`.home` — the Home tab from the core's "your work" panel (plain data);
- :mod:`.inbound` — signature and payload checks before anything is parsed.

This module holds only :class:`Slack`, the :class:`~bot.platforms.base.Platform` the
registry lists; it imports no SDK.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.platforms.base import Endpoint, Platform

if TYPE_CHECKING:
    from aiohttp import web

    from bot.services import Services
    from scheduler.outbox import Sender

OFF_TEXT = "Slack is not enabled on this server"
MANIFEST = Path(__file__).resolve().parent / "manifest.yaml"  # what an administrator pastes into Slack


async def _refuse(request: web.Request) -> web.Response:
    """Slack is not configured: nothing is read, nothing can be verified."""
    from aiohttp import web

    return web.Response(status=401, text=OFF_TEXT)


TO_TURN_ON = "set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, or SLACK_CLIENT_ID/SECRET"


class Slack(Platform):
    """Slack, on when ``SLACK_SIGNING_SECRET`` and a bot token (or OAuth client) are set."""

    name = "slack"
    title = "Slack"

    @property
    def enabled(self) -> bool:
        return self.settings.slack_enabled

    def status(self) -> str:
        if self.enabled:
            return "on, multi-workspace (OAuth)" if self.settings.slack_oauth else "on, single workspace"
        return f"off ({TO_TURN_ON})"

    def endpoints(self) -> list[Endpoint]:
        if not self.enabled:
            return [Endpoint("POST /slack/events", f"Slack: off: every request 401 ({TO_TURN_ON}, to turn it on)")]
        if not self.settings.slack_oauth:
            return [Endpoint("POST /slack/events", "Slack: requests signed with SLACK_SIGNING_SECRET; one workspace (SLACK_BOT_TOKEN)")]
        return [Endpoint("POST /slack/events", "Slack: requests signed with SLACK_SIGNING_SECRET; OAuth installs "
                                               "(/slack/install), any workspace that installs it"),
                Endpoint("GET  /slack/install", "open: Slack's install page (starts OAuth)"),
                Endpoint("GET  /slack/oauth_redirect", "Slack's OAuth redirect: checked against the state it issued")]

    def mount(self, app: web.Application, services: Services) -> Sender | None:
        if not self.enabled:
            app.router.add_post("/slack/events", _refuse)
            return None
        from bot.platforms.slack.app import mount

        return mount(app, services, self.settings).sender

    def manifest(self) -> Path:
        return MANIFEST
