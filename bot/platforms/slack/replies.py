"""How an answer reaches the person on Slack: response_url, modals, the channel, ephemeral, the DM.

- **Private stays private.** A ``PERSONAL`` reply (a calendar feed address) is never shown
  in a channel, and an error is never shared.
- **Never lost.** A channel answer Slack refuses to post (boardbot not in the channel, the
  channel gone) goes to the person instead: ephemeral in that channel, else their DM.
- **Long button values** (over Slack's 2,000 characters) are kept in the database and the
  button carries their digest.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.messages import Form, Reply, Visibility
from bot.platforms.slack import blocks as kit
from bot.platforms.slack import forms
from bot.platforms.slack.retries import response_url_retry_handlers
from bot.platforms.slack.runtime import SlackRuntime
from bot.platforms.slack.sender import error_code
from storage.dedupe import first_time, remembered

log = logging.getLogger("boardbot.slack")


class SlackReplies(SlackRuntime):
    """Rendering and delivering core replies (see the module's docstring)."""

    async def _button_values(self, reply: Reply) -> list[str]:
        """Each button's value; one too long for Slack's 2000 characters is kept in the database
        (all of a reply's long values in one transaction)."""
        out = [kit.button_value(b.action, b.value) for b in reply.buttons]
        long = [i for i, raw in enumerate(out) if len(raw) > kit.MAX_VALUE]
        if long and self.services.store is not None:
            async with self.services.store.sessions() as s, s.begin():
                for i in long:
                    b = reply.buttons[i]
                    digest = kit.value_digest(out[i])
                    await first_time(s, f"slack:value:{digest}", {"a": b.action, "v": b.value})
                    out[i] = json.dumps({"a": "", "k": digest})
        return out

    async def _pressed(self, raw: str | None) -> tuple[str, dict[str, Any]] | None:
        """The (action, value) a pressed button carried, fetching a long value from the database."""
        try:
            data = json.loads(raw or "")
        except (ValueError, RecursionError):  # a value of 1,000 "[" nests past what json reads
            return None
        if isinstance(data, dict) and "k" in data and self.services.store is not None:
            async with self.services.store.sessions() as s:
                stored = await remembered(s, f"slack:value:{data['k']}")
            return (stored["a"], stored.get("v") or {}) if stored else None
        return kit.button_from(data)

    async def _message(self, reply: Reply) -> dict[str, Any]:
        again = kit.shown_before(reply)  # rendered before: its buttons' values too
        if again is not None:
            return again
        values = await self._button_values(reply) if reply.buttons else None
        return kit.message(reply, button_values=values)

    async def _respond(self, response_url: str, payload: dict[str, Any]) -> None:
        hook = AsyncWebhookClient(url=response_url, timeout=10, retry_handlers=response_url_retry_handlers())
        resp = await hook.send_dict(payload)
        if resp.status_code >= 400:
            log.warning("response_url answered %s: %s", resp.status_code, resp.body[:200])

    async def _open_form(self, client: AsyncWebClient, trigger_id: str, form: Form, *, area: str | None,
                         channel: str | None) -> bool:
        """Open ``form`` as a modal. False if Slack refused (e.g. the trigger expired)."""
        meta = {"a": form.action, "c": form.context, "ar": area or "", "ch": channel or ""}
        try:
            view = forms.form_view(form, meta)
            await client.views_open(trigger_id=trigger_id, view=view)
            return True
        except (SlackApiError, ValueError, aiohttp.ClientError) as exc:
            log.warning("could not open the form %s: %s", form.action, exc)
            return False

    async def _deliver(self, client: AsyncWebClient, reply: Reply, *, channel: str | None, user: str,
                       thread_ts: str | None = None, in_channel: bool | None = None) -> None:
        """Post an answer that is not a response to a response_url.

        In the channel when it is for everyone there (``in_channel``; by default when the reply
        says so), but never a PERSONAL one. Otherwise, or when Slack will not post it there
        (not_in_channel, channel_not_found...), ephemeral to ``user`` in that channel, else in
        their DM with boardbot: the person always gets their answer.
        """
        values = await self._button_values(reply) if reply.buttons else None
        body = kit.message(reply, button_values=values)
        public = (reply.visibility == Visibility.CHANNEL) if in_channel is None else in_channel
        tried = None
        if channel and public and reply.visibility != Visibility.PERSONAL:
            try:
                await client.chat_postMessage(channel=channel, thread_ts=thread_ts, unfurl_links=False, **body)
                return
            except SlackApiError as exc:
                code = error_code(exc) or "refused"
                log.warning("could not post in %s (%s); answering %s privately", channel, code, user)
                tried = channel
                body = kit.message(reply, button_values=values, extra=[kit.note(
                    f"boardbot could not post this in the channel ({code}), so only you can see it.")])
        if channel and not channel.startswith("D"):
            try:
                await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **body)
                return
            except SlackApiError as exc:
                log.info("ephemeral to %s failed (%s); sending it as a direct message", channel, error_code(exc))
        if channel and channel.startswith("D") and channel != tried:  # a DM is private already
            await client.chat_postMessage(channel=channel, thread_ts=thread_ts, unfurl_links=False, **body)
            return
        await client.chat_postMessage(channel=user, unfurl_links=False, **body)

    @staticmethod
    def _response_type(reply: Reply, share: bool) -> str:
        """in_channel when asked to share or meant for the channel; a PERSONAL answer or an error never is."""
        if reply.visibility == Visibility.PERSONAL or not reply.ok:
            return "ephemeral"  # nor an error: it is about the asker, and shared it only clutters the channel
        return "in_channel" if share or reply.visibility == Visibility.CHANNEL else "ephemeral"
