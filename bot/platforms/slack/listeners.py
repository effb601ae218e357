"""The Bolt listeners: slash commands, modals, buttons, events, uninstalls and the Home tab.

- **3 seconds.** A slash command waits up to :data:`ACK_BUDGET` for the core: a lookup is
  acked with its answer; anything slower is acked empty and answered through
  ``response_url`` when it finishes. Buttons and events ack at once and work in a
  background task.
- **Once.** Events are recorded by ``event_id`` (Slack retries with ``X-Slack-Retry-Num``),
  button presses by message + rendered block + action + presser, modal submissions by view
  id + values. A press that was refused, or that opened a form (which may be cancelled), is
  forgotten again so the button stays pressable.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.actions import handle_action
from bot.home import build_panel
from bot.messages import Actor, Reply, Request, Visibility, error
from bot.platforms.eager import start
from bot.platforms.slack import blocks as kit
from bot.platforms.slack import forms
from bot.platforms.slack.home import PREFIX, home_view
from bot.platforms.slack.replies import SlackReplies
from bot.platforms.slack.runtime import conversation_of
from bot.platforms.slack.sender import SlackSender
from bot.router import handle

log = logging.getLogger("boardbot.slack")


ACK_BUDGET = 1.5  # seconds the core may take before a slash command / modal is acked empty


@dataclass(frozen=True)
class Press:
    """Who pressed a button, where: the container is the message, modal or Home tab it sat on."""

    key: str
    team: str
    user: str  # Slack's user id, as the press carried it
    actor: Actor
    area: str | None
    channel: str | None
    container: dict[str, Any]


def press_key(body: dict[str, Any]) -> str:
    """The de-duplication key of a press: the message (or view) + rendered block + action + presser.

    Per person: a double click acts once, but a refused press by someone else must not use
    up the button for the person entitled to press it; the message that replaces it carries
    new block ids, so its buttons are new presses.
    """
    action = (body.get("actions") or [{}])[0]
    container = body.get("container") or {}
    where = container.get("message_ts") or container.get("view_id") or (body.get("view") or {}).get("id", "")
    presser = (body.get("user") or {}).get("id", "")
    return f"slack:button:{where}:{action.get('block_id', '')}:{action.get('action_id', '')}:{presser}"


class SlackListeners(SlackReplies):
    """What each kind of Slack request does; :class:`~bot.platforms.slack.app.SlackPlatform` builds
    the Bolt app (``bolt``), the installation store and the sender these use."""

    bolt: AsyncApp
    installation_store: AsyncSQLAlchemyInstallationStore | None
    sender: SlackSender

    def _register(self) -> None:
        bolt = self.bolt
        bolt.command(re.compile(r"^/"))(self.on_command)
        bolt.view(forms.FORM_CALLBACK)(self.on_view_submission)
        bolt.action(re.compile("^" + re.escape(kit.BUTTON_PREFIX)))(self.on_button)
        bolt.event("app_mention")(self.on_mention)
        bolt.event("message")(self.on_message)
        bolt.event("app_home_opened")(self.on_home_opened)
        bolt.event("app_uninstalled")(self.on_uninstalled)
        bolt.event("tokens_revoked")(self.on_tokens_revoked)
        # whatever else Slack sends is acknowledged, never 404 (Slack retries, then disables, on errors)
        bolt.event(re.compile(".*"))(self._ignore)
        bolt.action(re.compile(".*"))(self._ack_only)
        bolt.view(re.compile(".*"))(self._ack_only)
        bolt.view_closed(re.compile(".*"))(self._ack_only)
        bolt.shortcut(re.compile(".*"))(self._ack_only)
        bolt.options(re.compile(".*"))(self._no_options)

    async def _ignore(self, body: dict[str, Any]) -> None:
        return None

    async def _ack_only(self, ack: Callable[..., Awaitable[Any]]) -> None:
        await ack()

    async def _no_options(self, ack: Callable[..., Awaitable[Any]]) -> None:
        await ack(options=[])  # boardbot's menus are static: an options request is not one of ours

    async def on_command(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """``/board <anything>``: answered in the ack when the core is quick, else via response_url."""
        text, mentions = kit.incoming_text(body.get("text", ""))
        text, share = kit.split_share(text)
        team, user, channel = body.get("team_id", ""), body.get("user_id", ""), body.get("channel_id")
        actor, area = await self._actor(team, user, body.get("user_name", ""))
        request = Request(text=text, actor=actor, area=area, platform="slack", channel=channel,
                          request_id=f"slack:command:{team}:{body.get('trigger_id', '')}", mentions=mentions,
                          conversation=conversation_of(team, channel, user))
        task = start(self._core(handle, request))  # a task only if the core has to wait
        if not task.done():
            await asyncio.wait({task}, timeout=ACK_BUDGET)  # never cancels the task
        trigger = body.get("trigger_id", "")
        response_url = body.get("response_url", "")
        if not task.done():
            await ack()
            self._spawn(self._command_later(task, client, trigger, response_url, share, area, channel, text))
            return
        reply = task.result()
        if reply.form is not None:
            await ack()
            self._spawn(self._form_or_button(client, trigger, response_url, reply, area, channel, text))
            return
        payload = await self._message(reply)
        await ack(response_type=self._response_type(reply, share), **payload)


    async def command_ack(self, body: dict[str, Any], client: AsyncWebClient) -> dict[str, Any] | None:
        """:meth:`on_command` without Bolt: what it acked with (None for an empty ack), for the
        HTTP side to send as the response (see ``SlackPlatform._token``)."""
        acked: list[dict[str, Any]] = []

        async def ack(**fields: Any) -> None:
            acked.append(fields)

        await self.on_command(ack, body, client)
        return acked[0] if acked else None

    async def _command_later(self, task: asyncio.Future[Reply], client: AsyncWebClient, trigger: str, response_url: str,
                             share: bool, area: str | None, channel: str | None, text: str) -> None:
        reply = await task
        if reply.form is not None:
            await self._form_or_button(client, trigger, response_url, reply, area, channel, text)
            return
        payload = await self._message(reply)
        await self._respond(response_url, {"response_type": self._response_type(reply, share), **payload})

    async def _form_or_button(self, client: AsyncWebClient, trigger: str, response_url: str, reply: Reply,
                              area: str | None, channel: str | None, text: str) -> None:
        if reply.form is not None and await self._open_form(client, trigger, reply.form, area=area, channel=channel):
            return
        prompt = Reply(text=reply.text or "This needs a form.", title=reply.title,
                       buttons=(kit.open_form_button(text, area),))
        await self._respond(response_url, {"response_type": "ephemeral", **await self._message(prompt)})

    async def on_view_submission(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """A submitted modal: the core's answer closes it, or shows its field errors in it."""
        view = body.get("view") or {}
        meta, values = forms.form_values(view)
        if not meta.get("a"):
            await ack()
            return
        # the request id is the modal (id + hash: an updated modal is a new one), so the core can
        # make a submission idempotent; the de-duplication key adds the values, so a form that was
        # sent back with errors can be sent again, while a double click on Submit acts once
        request_id = f"slack:view:{view.get('id', '')}:{view.get('hash', '')}"
        key = f"{request_id}:{kit.value_digest(json.dumps(values, sort_keys=True, default=str))}"
        if not await self._first_time(key):
            await ack()  # the same submission again (a double click): the first one is acting
            return
        user = body.get("user") or {}
        team = (body.get("team") or {}).get("id") or user.get("team_id", "")
        actor, area = await self._actor(team, user.get("id", ""), user.get("name") or user.get("username") or "")
        request = Request(text="", actor=actor, area=meta.get("ar") or area, platform="slack",
                          channel=meta.get("ch") or None, request_id=request_id, action=meta["a"],
                          value={**(meta.get("c") or {}), **values})
        task = start(self._core(handle_action, request))
        if not task.done():
            await asyncio.wait({task}, timeout=ACK_BUDGET)  # never cancels the task
        if task.done():
            reply = task.result()
            errors = forms.field_errors(reply, values.keys())
            if errors:
                await self._forget(key)  # let the corrected form (or the same one) be sent again
                await ack(response_action="errors", errors=errors)
                return
            if reply.form is not None:
                new_meta = {"a": reply.form.action, "c": reply.form.context, "ar": request.area or "", "ch": request.channel or ""}
                try:
                    await ack(response_action="update", view=forms.form_view(reply.form, new_meta))
                    return
                except ValueError:
                    pass
            await ack()
            self._spawn(self._deliver(client, reply, channel=request.channel, user=actor.user_id))
            return
        await ack()

        async def later() -> None:
            await self._deliver(client, await task, channel=request.channel, user=actor.user_id)

        self._spawn(later())

    async def on_button(self, ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        self._spawn(self._button(body, client))

    async def _button(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        """A button press: once per person (:func:`press_key`), through the core, answered where it was pressed."""
        key = press_key(body)
        if not await self._first_time(key):
            log.info("ignoring a repeated press of %s", key)
            return
        press = await self._press(body, key)
        reply, form_area = await self._press_reply(press, ((body.get("actions") or [{}])[0]).get("value"))
        if not reply.ok or reply.form is not None:
            # refused or failed: pressing again later (say, once granted the role) must work; a form
            # may be cancelled (Slack does not tell us), and pressing again must open it again
            await self._forget(key)
        if reply.form is not None and await self._open_form(client, body.get("trigger_id", ""), reply.form,
                                                             area=form_area, channel=press.channel):
            return
        await self._answer_press(client, body, press, reply)

    async def _press(self, body: dict[str, Any], key: str) -> Press:
        user = body.get("user") or {}
        container = body.get("container") or {}
        team = (body.get("team") or {}).get("id") or user.get("team_id", "")
        actor, area = await self._actor(team, user.get("id", ""), user.get("name") or user.get("username") or "")
        return Press(key=key, team=team, user=user.get("id", ""), actor=actor, area=area, container=container,
                     channel=(body.get("channel") or {}).get("id") or container.get("channel_id"))

    async def _press_reply(self, press: Press, raw_value: str | None) -> tuple[Reply, str | None]:
        """The core's answer to a press, and the area a form it opens is about."""
        pressed = await self._pressed(raw_value)
        if pressed is None:
            return error("That button is no longer supported.", hint='Type "/board help" to see what you can do.'), press.area
        action, value = pressed
        form_area = value.get("area") or press.area
        if action == kit.OPEN_FORM_ACTION:
            asked = Request(text=str(value.get("t", "")), actor=press.actor, area=form_area, platform="slack",
                            channel=press.channel, request_id=press.key)
            return await self._core(handle, asked), form_area
        request = Request(text="", actor=press.actor, area=press.area, platform="slack", channel=press.channel,
                          request_id=press.key, action=action, value=value,
                          conversation=conversation_of(press.team, press.channel, press.user,
                                                       press.container.get("thread_ts")))
        return await self._core(handle_action, request), form_area

    async def _answer_press(self, client: AsyncWebClient, body: dict[str, Any], press: Press, reply: Reply) -> None:
        """On a message: replace it, or (a refusal, a secret) answer the presser alone beside it. Elsewhere
        (a modal, the Home tab): a message to the presser, and a fresh Home tab."""
        container = press.container
        response_url = body.get("response_url")
        if container.get("type") == "message" and response_url:
            payload = await self._message(reply)
            if (not reply.ok or reply.visibility == Visibility.PERSONAL) and not container.get("is_ephemeral"):
                # a refusal or a secret is for the presser only; the message everyone sees stays as it was
                await self._respond(response_url, {"response_type": "ephemeral", "replace_original": False, **payload})
            else:
                await self._respond(response_url, {"replace_original": True, **payload})
            return
        await self._deliver(client, reply, channel=None, user=press.actor.user_id)
        if container.get("type") == "view" and (body.get("view") or {}).get("type") == "home":
            await self._publish_home(client, press.team, press.actor.user_id)

    # --- events ------------------------------------------------------------------------------------

    async def on_mention(self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        if not await self._first_time(f"slack:event:{body.get('event_id', '')}"):
            return
        self._spawn(self._answer_event(body, event, client, getattr(context, "bot_user_id", None), mention=True))

    async def on_message(self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        if not await self._first_time(f"slack:event:{body.get('event_id', '')}"):
            return
        self._spawn(self._answer_event(body, event, client, getattr(context, "bot_user_id", None), mention=False))

    async def _answer_event(self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient,
                            bot_user: str | None, *, mention: bool) -> None:
        raw = event.get("text") or ""
        if bot_user:
            raw = re.sub(rf"<@{re.escape(bot_user)}(?:\|[^>]*)?>", " ", raw)
        text, mentions = kit.incoming_text(raw)
        text, _share = kit.split_share(text)  # a mention is answered in its thread for all to see anyway
        team = body.get("team_id") or event.get("team", "")
        channel = event.get("channel", "")
        user = event.get("user", "")
        actor, area = await self._actor(team, user, await self._name(client, team, user))
        thread = (event.get("thread_ts") or event.get("ts")) if mention else event.get("thread_ts")
        request = Request(text=text, actor=actor, area=area, platform="slack", channel=channel,
                          request_id=f"slack:event:{body.get('event_id', '')}", mentions=mentions,
                          conversation=conversation_of(team, channel, user, thread))
        reply = await self._core(handle, request)
        if reply.form is not None:  # no trigger_id in an event: offer a button that opens it
            reply = Reply(text=reply.text or "This needs a form.", title=reply.title,
                          buttons=(kit.open_form_button(text, area),))
        # in the thread (or the DM) for all there to see; a PERSONAL answer goes to the asker alone
        await self._deliver(client, reply, channel=channel, user=user, thread_ts=thread, in_channel=True)

    # --- uninstalled, tokens revoked -------------------------------------------------------------------

    async def on_uninstalled(self, body: dict[str, Any], context: Any) -> None:
        """``app_uninstalled``: the installation goes (Bolt's store), the workspace's queued posts stop,
        the areas' admins are told (:func:`bot.workflows.installations.workspace_removed`)."""
        await self._removed(body, context, why="was uninstalled", delete=self._delete_all)

    async def on_tokens_revoked(self, body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        """``tokens_revoked``: revoked user tokens are forgotten; a revoked bot token is a removal."""
        tokens = event.get("tokens") or {}
        if self.installation_store is not None and (tokens.get("oauth") or tokens.get("bot")):
            await self.bolt.default_tokens_revoked_event_listener()(event=event, context=context)
        if tokens.get("bot"):
            await self._removed(body, context, why="had its bot token revoked", delete=None)

    async def _delete_all(self, context: Any) -> None:
        if self.installation_store is not None:
            await self.bolt.default_app_uninstalled_event_listener()(context=context)

    async def _removed(self, body: dict[str, Any], context: Any, *, why: str,
                       delete: Callable[[Any], Awaitable[None]] | None) -> None:
        from bot.workflows.installations import workspace_removed

        team = getattr(context, "team_id", None) or body.get("team_id") or getattr(context, "enterprise_id", None) or ""
        name = ""
        if self.installation_store is not None:
            found = await self.installation_store.async_find_installation(
                enterprise_id=getattr(context, "enterprise_id", None), team_id=team or None)
            name = (found.team_name or "") if found else ""
        if delete is not None:
            await delete(context)
        self.sender.forget(team)
        install = (f"{self.settings.public_url}/slack/install" if self.settings.public_url and self.settings.slack_oauth
                   else "")
        await workspace_removed(self.services, platform="slack", workspace=team, why=why, name=name,
                                key=str(body.get("event_id") or ""), install_hint=install)

    async def on_home_opened(self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") == "messages":
            self._spawn(self._welcome(client, body.get("team_id", ""), event.get("user", ""), event.get("channel", "")))
            return
        if event.get("tab", "home") != "home":
            return
        self._spawn(self._publish_home(client, body.get("team_id", ""), event.get("user", "")))

    async def _welcome(self, client: AsyncWebClient, team: str, user: str, channel: str) -> None:
        """The first time someone opens the Messages tab, say what boardbot is and what to try.

        Once per person, across replicas and restarts (a long-lived key in processed_requests);
        if the post fails, the key is forgotten so the next opening tries again.
        """
        from bot.commands.greeting import welcome

        if not user or not await self._first_time(f"slack:welcomed:{team}:{user}"):
            return
        _actor, area = await self._actor(team, user)
        reply = welcome(self.services.knowledge.areas.get(area) if area else None)
        try:
            await client.chat_postMessage(channel=channel or user, unfurl_links=False, **kit.message(reply))
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.info("welcome message to %s failed (%s); it will be tried on their next visit", user, exc)
            await self._forget(f"slack:welcomed:{team}:{user}")

    async def _publish_home(self, client: AsyncWebClient, team: str, user: str) -> None:
        actor, area = await self._actor(team, user)
        await client.views_publish(user_id=user, view=home_view(await build_panel(self.services, actor, area, prefix=PREFIX)))
