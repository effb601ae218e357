"""Microsoft Teams: Bot Framework activities in, Adaptive Cards out, proactive posts for the outbox.

    POST /api/messages    what Teams (the Bot Connector) sends boardbot

:func:`mount` adds the route and registers :class:`TeamsSender` as ``services.senders["teams"]``.

- A message in a 1:1 chat, or a channel / group-chat message that @mentions boardbot, is
  answered by the same core as the terminal (``bot.router.handle``) and the answer comes back
  as an Adaptive Card (:mod:`bot.platforms.teams.cards`). Other @mentions reach the core as
  ``@<id>`` in the text and in ``Request.mentions``.
- A card button (``Action.Execute``, an ``adaptiveCard/action`` invoke) goes to
  ``bot.actions.handle_action``; the new card is the invoke's answer, which Teams shows the
  presser at once. When the core succeeds the message itself is updated too, so everyone in
  the conversation sees the new card; a refusal or an error stays with the presser. An
  ``Action.Submit`` (an older card, or an ``Action.Execute``'s fallback on an older client:
  a message with ``value``) updates the message it came from.
- A channel or group chat cannot answer one person privately: its Requests carry
  ``private_possible=False``, and a ``Visibility.PERSONAL`` answer is never shown there.
- Every incoming activity's conversation reference is stored (the latest wins), so the
  outbox can post to that channel or chat later; adding boardbot to a team or chat gets a
  welcome card.

Why not ``CloudAdapter.process``: it answers 500 to ``adaptiveCard/action`` invokes and to an
Authorization header that is not a JWT. :meth:`TeamsPlatform.handle` checks the token first
(before the body is read), then reads and checks the body (size, depth, shape: 413 / 400),
then the token's ``serviceurl`` claim against the activity (ours: botbuilder's successor does
not check it) and botbuilder's own validation (any failure -> 401, before anything is stored
or sent), and only then hands the activity to ``adapter.process_activity`` with the
authentication result, so a failure inside a turn can never be mistaken for a bad token or
the other way round.

Safe by default (:attr:`bot.config.Settings.teams_mode`): with ``MicrosoftAppId`` set every
request needs a Bot Framework token; without it the endpoint is off (401) unless
``BOARDBOT_TEAMS_UNAUTHENTICATED=1`` asks for local use (the Bot Framework Emulator, tests)
with ``HOST`` on loopback, and then only callers on this machine are answered and replies and
proactive posts go only to loopback service URLs: an unauthenticated endpoint can never be
made to post to an address someone else chose.

Every botbuilder / botframework import lives in ``bot/platforms/teams*.py``: the SDK is being
retired upstream in favour of the Microsoft 365 Agents SDK, and this is the seam to swap.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
import re
from typing import Any

import aiohttp
from aiohttp import web
from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationReference,
)
from msrest.exceptions import ClientRequestError, HttpOperationError
from msrest.serialization import Model

from bot.config import Settings
from bot.messages import Actor, Reply, Request, Visibility
from bot.platforms import inbound
from bot.platforms.common import CRASH_HINT, CRASH_TEXT, Once, crash_reply, retry_after_seconds
from bot.platforms.teams import inbound as teams_inbound
from bot.platforms.teams.auth import (
    ChannelToken,
    Endpoints,
    KeysUnavailable,
    SigningKeys,
    TokenError,
    TokenRefused,
    build_authentication,
    credential_factory,
    verify_channel_token,
)
from bot.platforms.teams.cards import (
    CARD_CONTENT_TYPE,
    PERSONAL_ONLY,
    VERB,
    for_conversation,
    parse_action,
    reply_card,
    truncate,
    welcome_card,
)
from bot.services import Services
from scheduler.outbox import Outgoing, PermanentSendError, TransientSendError

log = logging.getLogger("boardbot.teams")

PLATFORM = "teams"
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"  # an invoke answer Teams shows as a note, card untouched
NO_REFERENCE = "no conversation reference: add boardbot to the channel and link it again"
_THREAD = re.compile(r";messageid=\d+$")


# --- reading activities ---------------------------------------------------------------------------


def parse_activity(body: Any) -> Activity | None:
    """An Activity from a request body, or None when it is not one boardbot can act on.

    Needs a string ``type``, an http(s) ``serviceUrl`` and a ``conversation.id``; the
    conversation's ``tenantId`` is copied by hand (botbuilder-schema 4.17 maps it as
    ``tenantID`` and drops what Teams sends).
    """
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        return None
    try:
        activity = Activity().deserialize(body)
    except Exception:
        return None
    conv = body.get("conversation")
    if not isinstance(conv, dict) or not isinstance(conv.get("id"), str) or not conv["id"] or activity.conversation is None:
        return None
    if not isinstance(activity.service_url, str) or not activity.service_url.startswith(("https://", "http://")):
        return None
    if activity.from_property is None or activity.recipient is None:
        if activity.type in (ActivityTypes.message, ActivityTypes.invoke):
            return None
    tenant = conv.get("tenantId") or conv.get("tenantID")
    if isinstance(tenant, str):
        activity.conversation.tenant_id = tenant
    return activity


def tenant_of(activity: Activity) -> str:
    """The Microsoft 365 tenant (boardbot's "workspace"): channelData.tenant.id, else conversation.tenantId."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant") if isinstance(data.get("tenant"), dict) else {}
    return str(tenant.get("id") or (activity.conversation.tenant_id if activity.conversation else "") or "")


def channel_of(activity: Activity) -> str:
    """The conversation boardbot answers in, without a channel thread's ``;messageid=``.

    A Teams channel message arrives in conversation ``19:…@thread.tacv2;messageid=123`` (its
    thread). The channel itself (``19:…@thread.tacv2``) is what an administrator links and
    what proactive posts go to (as new posts, not as replies in someone's old thread).
    """
    return _THREAD.sub("", activity.conversation.id)


def is_channel(activity: Activity) -> bool:
    return (activity.conversation.conversation_type or "") == "channel"


def incoming_text(activity: Activity) -> tuple[str, tuple[str, ...]]:
    """(text for the core, mentioned user ids in order) from a Teams message.

    The ``<at>boardbot</at>`` mention is removed; anyone else's becomes ``@<id>`` (their AAD
    object id when Teams sends one, else their Teams user id); leftover tags and HTML
    entities are undone and whitespace collapsed.
    """
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    found: list[tuple[int, str]] = []
    for entity in activity.entities or []:
        if (entity.type or "").lower() != "mention":
            continue
        props = entity.additional_properties or {}
        mentioned = props.get("mentioned") if isinstance(props.get("mentioned"), dict) else {}
        tag = props.get("text") if isinstance(props.get("text"), str) else f"<at>{mentioned.get('name', '')}</at>"
        if mentioned.get("id") == bot_id:
            text = text.replace(tag, " ")
            continue
        uid = mentioned.get("aadObjectId") or mentioned.get("id")
        if not isinstance(uid, str) or not uid:
            continue
        at = text.find(tag)
        if at >= 0:
            text = text[:at] + f"@{uid}" + text[at + len(tag):]
        found.append((at if at >= 0 else len(text), uid))
    text = re.sub(r"</?at>", "", text)
    text = html.unescape(text).replace("\u00a0", " ")
    mentions = tuple(dict.fromkeys(uid for _, uid in sorted(found, key=lambda p: p[0])))
    return " ".join(text.split()), mentions


def conversation_reference(activity: Activity) -> dict[str, Any]:
    """What a proactive post needs later, as JSON: service URL, bot, conversation (channel, not thread), tenant."""
    conv = activity.conversation
    ref: dict[str, Any] = {
        "bot": activity.recipient.serialize() if activity.recipient else None,
        "conversation": {
            "id": channel_of(activity),
            "conversationType": conv.conversation_type,
            "isGroup": conv.is_group,
            "tenantId": tenant_of(activity) or None,
            "name": conv.name,
        },
        "channelId": activity.channel_id,
        "serviceUrl": activity.service_url,
    }
    if conv.conversation_type == "personal" and activity.from_property is not None:
        ref["user"] = activity.from_property.serialize()
    ref["conversation"] = {k: v for k, v in ref["conversation"].items() if v is not None}
    return {k: v for k, v in ref.items() if v is not None}


def reference_from_json(ref: dict[str, Any]) -> ConversationReference:
    reference = ConversationReference().deserialize(ref)
    tenant = (ref.get("conversation") or {}).get("tenantId")
    if reference.conversation is not None and tenant:
        reference.conversation.tenant_id = tenant
    reference.activity_id = None
    return reference


def card_activity(card: dict[str, Any], text: str = "") -> Activity:
    """A message carrying one Adaptive Card; ``summary`` is the notification text.

    The full plain text travels as the card's ``fallbackText``; it is not repeated in the
    message ``text``, which Teams would show above the card.
    """
    first = next((line for line in (text or "").splitlines() if line.strip()), "")
    return Activity(
        type=ActivityTypes.message,
        summary=truncate(first, 200) or None,
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=card)],
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- the bot ---------------------------------------------------------------------------------------


class BoardbotTeamsBot(ActivityHandler):
    """Turns Teams activities into core requests and core replies into cards.

    Private answers: Teams has no ephemeral messages, so a ``Visibility.PRIVATE`` answer to a
    channel @mention is posted in the same thread, like a ``CHANNEL`` one (in a 1:1 chat
    both are private anyway). Anyone who can read the thread can read the question too, so
    nothing is disclosed that the asker did not ask in front of them. A
    ``Visibility.PERSONAL`` answer (a secret) is never shown outside a 1:1 chat: requests
    from a channel or group chat carry ``private_possible=False`` and any PERSONAL answer
    there becomes a note asking the person to ask in a 1:1 chat.

    Storage per activity: the de-duplication key and the conversation reference are written
    in one transaction (:meth:`_first_time`); who is asking comes from the core's cached
    :func:`bot.identity.resolve_actor`, one call per activity.
    """

    SAVED_REFS_MAX = 10_000

    def __init__(self, services: Services) -> None:
        self.services = services
        self.once = Once(services)
        # conversation id -> the reference last stored for it by this process (it changes only
        # when Teams moves a conversation, and then it is stored again)
        self._saved_refs: dict[str, dict[str, Any]] = {}

    def _saw_reference(self, ref: dict[str, Any]) -> None:
        if len(self._saved_refs) >= self.SAVED_REFS_MAX:
            self._saved_refs.clear()
        self._saved_refs[ref["conversation"]["id"]] = ref

    async def on_turn(self, turn_context: TurnContext) -> None:
        try:
            await super().on_turn(turn_context)
        finally:
            if not turn_context.turn_state.get(_REFERENCE_SAVED):
                await self._remember_conversation(turn_context.activity)

    # --- messages ----------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        submitted = parse_action(activity.value) if isinstance(activity.value, dict) else None
        if submitted and not (activity.text or "").strip():
            await self._legacy_submit(turn_context, *submitted)
            return
        if not await self._first_time(turn_context, f"teams:msg:{activity.id}|{_digest(activity.conversation.id)}"):
            log.info("ignoring re-sent activity %s", activity.id)
            return
        text, mentions = incoming_text(activity)
        request = await self._request(activity, text=text, mentions=mentions)
        reply = for_conversation(await self._run(request), private_possible=request.private_possible)
        await turn_context.send_activity(card_activity(reply_card(reply, area=request.area), reply.text))

    async def _legacy_submit(self, turn_context: TurnContext, action: str, value: dict[str, Any], nonce: str | None) -> None:
        """An ``Action.Submit`` (an older card, or the fallback of an ``Action.Execute`` on a client
        without Universal Actions): act once, then update the message it sat on.

        In a channel or group chat only a success replaces the card (everyone sees it); a
        refusal, an error or a form is posted as a reply instead, so one person's press never
        takes the buttons away from the others.
        """
        activity = turn_context.activity
        key = (f"teams:card:{nonce}:{_presser(activity)}" if nonce
               else f"teams:submit:{activity.id}|{_digest(activity.conversation.id)}")
        if not await self._first_time(turn_context, key):
            return
        request = await self._request(activity, text="", action=action, value=value,
                                      request_id=f"card:{nonce}" if nonce else activity.id)
        reply = await self._run(request)
        shown = for_conversation(reply, private_possible=request.private_possible)
        message = card_activity(reply_card(shown, area=request.area), shown.text)
        replaces = shown is reply and (is_personal(activity) or (reply.ok and reply.form is None))
        if activity.reply_to_id and replaces:
            message.id = activity.reply_to_id
            try:
                await turn_context.update_activity(message)
                return
            except Exception as exc:  # the message is gone or not ours to edit: say it as a new message
                log.info("could not update message %s (%s); posting the answer instead", activity.reply_to_id, exc)
                message.id = None
        await turn_context.send_activity(message)

    # --- card actions ------------------------------------------------------------------------

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """``adaptiveCard/action`` (Action.Execute) is answered here; other invokes as botbuilder does.

        The answer is built by hand: botbuilder's AdaptiveCardInvokeResponse cannot carry the
        plain-text ``value`` of an ``application/vnd.microsoft.activity.message`` answer. A
        failure outside the core (the database down while de-duplicating or finding who is
        asking) is answered with an error the presser sees, never botbuilder's empty 501.
        """
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            # sign-in, task modules, message extensions...: boardbot offers none (botbuilder would say 501)
            name = str(activity.name or "")[:60]
            return InvokeResponse(status=400, body=_invoke_error(400, "BadRequest", f"boardbot does not handle {name!r} invokes"))
        if not isinstance(activity.value, dict) or not isinstance(activity.value.get("action"), dict):
            return InvokeResponse(status=400, body=_invoke_error(400, "BadRequest", "Missing value.action"))
        try:
            return InvokeResponse(status=200, body=await self._card_action(turn_context))
        except Exception:
            log.exception("a Teams card action failed outside the core")
            return InvokeResponse(status=500, body=_invoke_error(500, "InternalError", f"{CRASH_TEXT} {CRASH_HINT}"))

    async def _card_action(self, turn_context: TurnContext) -> dict[str, Any]:
        activity = turn_context.activity
        action = activity.value["action"]
        parsed = parse_action(action.get("data")) if action.get("verb") == VERB else None
        if parsed is None:
            return _note("That button is no longer supported. Type \u201chelp\u201d to see what you can do.")
        name, value, nonce = parsed
        # per person: a double press acts once, but someone else's (refused) press must not
        # use up the card for the person entitled to press it, nor replay their refusal
        key = (f"teams:card:{nonce}:{_presser(activity)}" if nonce
               else f"teams:invoke:{activity.id}|{_digest(activity.conversation.id)}")
        if not await self._first_time(turn_context, key):
            done = await self._remembered(f"{key}:result")
            if done and isinstance(done.get("card"), dict):
                return _card_response(done["card"])
            return _note("Already on it: that card was pressed a moment ago.")
        request = await self._request(activity, text="", action=name, value=value,
                                      request_id=f"card:{nonce}" if nonce else activity.id)
        reply = await self._run(request)
        if for_conversation(reply, private_possible=request.private_possible) is not reply:
            return _note(PERSONAL_ONLY)  # the card stays as it was, for everyone
        card = reply_card(reply, area=request.area)
        await self._first_time(turn_context, f"{key}:result", {"card": card})
        if reply.ok and reply.form is None and activity.reply_to_id:
            await self._update_for_everyone(turn_context, card, reply.text)
        return _card_response(card)

    async def _update_for_everyone(self, turn_context: TurnContext, card: dict[str, Any], text: str) -> None:
        """Replace the card in the message itself: the invoke's answer only changes what the presser sees.

        Refusals and errors are not shared (they are about the presser), nor forms (the
        presser fills them in); a failed update leaves the others with the old card, which
        the next press refreshes.
        """
        message = card_activity(card, text)
        message.id = turn_context.activity.reply_to_id
        try:
            await turn_context.update_activity(message)
        except Exception as exc:
            log.warning("could not update card message %s for everyone: %s", message.id, exc)

    # --- added to a team or chat -----------------------------------------------------------

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        if not any(m.id == bot_id for m in members_added or []):
            return
        if not await self._first_time(turn_context, f"teams:welcome:{activity.id}|{_digest(activity.conversation.id)}"):
            return
        _, slug = await self._actor(activity)
        area = self.services.knowledge.areas.get(slug) if slug else None
        card = welcome_card(in_channel=is_channel(activity), area_name=area.name if area else None)
        await turn_context.send_activity(card_activity(card, card.get("fallbackText", "")))

    # --- helpers -------------------------------------------------------------------------------

    async def _actor(self, activity: Activity) -> tuple[Actor, str | None]:
        """Who is asking (by AAD object id, else by the Teams ``29:`` id an @mention links people by) and their area."""
        from bot.identity import resolve_actor

        sender = activity.from_property
        ids = list(dict.fromkeys(i for i in ((sender.aad_object_id, sender.id) if sender else ()) if i)) or [""]
        return await resolve_actor(self.services, platform=PLATFORM, workspace=tenant_of(activity), user_id=ids[0],
                                   display_name=(sender.name if sender else "") or "", other_ids=tuple(ids[1:]))

    async def _request(self, activity: Activity, *, text: str, mentions: tuple[str, ...] = (), action: str | None = None,
                       value: dict[str, Any] | None = None, request_id: str | None = None) -> Request:
        """The neutral Request: who, which tenant, which conversation, and whether it is a 1:1 chat."""
        actor, area = await self._actor(activity)
        return Request(text=text, actor=actor, area=area, platform=PLATFORM, channel=channel_of(activity),
                       request_id=request_id or activity.id, action=action, value=value or {}, mentions=mentions,
                       private_possible=is_personal(activity),
                       # the 1:1 chat, group chat or channel thread (";messageid=" kept): where follow-ups continue
                       conversation=f"teams:{activity.conversation.id}" if activity.conversation else None)

    async def _run(self, request: Request) -> Reply:
        try:
            if request.action:
                from bot.actions import handle_action

                return await handle_action(request, self.services)
            from bot.router import handle

            return await handle(request, self.services)
        except Exception:
            log.exception("handling a Teams %s failed", "card action" if request.action else "message")
            return crash_reply()

    async def _first_time(self, turn_context: TurnContext, key: str, result: dict[str, Any] | None = None) -> bool:
        """Record ``key`` once (True the first time) and, the first time, the conversation
        reference too, in the same transaction."""
        store = self.services.store
        if store is None:
            return True
        from sqlalchemy.exc import IntegrityError

        from storage import directory
        from storage.dedupe import first_time, first_time_in

        activity = turn_context.activity
        save = not turn_context.turn_state.get(_REFERENCE_SAVED) and bool(activity.service_url)
        ref = conversation_reference(activity) if save else None
        # a reference this process stored (or found stored) a moment ago needs no second look
        known = ref is not None and self._saved_refs.get(ref["conversation"]["id"]) == ref
        try:
            async with store.writer(), store.session() as s, s.begin():
                fresh = await first_time(s, key, result)
                if fresh and ref is not None and not known:
                    await directory.save_conversation_ref(s, ref["conversation"]["id"], tenant_of(activity) or None, ref)
            if fresh and ref is not None:
                self._saw_reference(ref)
        except IntegrityError:
            # another activity from this brand-new conversation stored its reference a moment
            # earlier; the reference is known, so record the key alone
            async with store.writer():
                fresh = await first_time_in(store.sessions, key, result)
        if save:
            # a repeat needs no save: the first delivery of the activity made it
            turn_context.turn_state[_REFERENCE_SAVED] = True
        return fresh

    async def _remembered(self, key: str) -> dict[str, Any] | None:
        return await self.once.remembered(key)

    async def _remember_conversation(self, activity: Activity) -> None:
        """Store the conversation reference of an activity nothing else recorded (e.g. a member added)."""
        if self.services.store is None or not activity.conversation or not activity.service_url:
            return
        from storage import directory

        ref = conversation_reference(activity)
        if self._saved_refs.get(ref["conversation"]["id"]) == ref:
            return
        try:
            async with self.services.store.writer(), self.services.store.session() as s, s.begin():
                await directory.save_conversation_ref(s, ref["conversation"]["id"], tenant_of(activity) or None, ref)
            self._saw_reference(ref)
        except Exception:  # answering matters more than remembering; the next activity tries again
            log.exception("could not store the conversation reference for %s", ref["conversation"]["id"])


_REFERENCE_SAVED = "boardbot.reference_saved"  # turn_state: this turn's conversation reference is stored


def is_personal(activity: Activity) -> bool:
    """A 1:1 chat with boardbot (the Emulator's conversations carry no type and no isGroup)."""
    conv = activity.conversation
    kind = conv.conversation_type or ""
    return kind == "personal" or (not kind and not conv.is_group)


def _presser(activity: Activity) -> str:
    sender = activity.from_property
    return (sender.aad_object_id or sender.id or "") if sender else ""


def _card_response(card: dict[str, Any]) -> dict[str, Any]:
    """The invoke answer that replaces the card the button sat on."""
    return {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card}


def _note(text: str) -> dict[str, Any]:
    """The invoke answer Teams shows as a short message, leaving the card as it was."""
    return {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": text}


def _invoke_error(status: int, code: str, message: str) -> dict[str, Any]:
    """An Universal Actions error answer: Teams shows ``message`` to the presser, the card unchanged."""
    return {"statusCode": status, "type": "application/vnd.microsoft.error", "value": {"code": code, "message": message}}


# --- proactive posts ---------------------------------------------------------------------------------

CREDENTIALS_BACKOFF = 300.0  # seconds between tries while boardbot's app secret is refused


class TeamsSender:
    """The outbox's Sender for Teams: posts a Reply as a card to a stored conversation.

    Uses ``adapter.continue_conversation`` (so the SDK hands over the authenticated Bot
    Connector client) and ``send_to_conversation`` (a new post in the channel, not a reply in
    an old thread). The reference is the live one the last activity from that conversation
    stored (Teams may move a conversation to another ``serviceUrl``), else the copy taken
    when the channel was linked.

    Retries: the client retries once, at once, only an error in connecting (nothing was
    sent); everything else is one attempt and the outbox retries with back-off, in order.
    The Bot Connector has no idempotency key, so a timeout or a dropped connection *after*
    the post was sent is still retried (it is more likely lost than delivered) but logged as
    a possible duplicate: the channel may see that post twice.

    Errors: 429 (with Retry-After), 408, 5xx, timeouts, an unreachable connector or login
    service -> TransientSendError; boardbot's own credentials refused (by the login service
    or a Bot Connector 401: an expired secret) -> TransientSendError with a long back-off
    and an error in the log, so posts wait for the secret to be renewed instead of being
    lost; 403 (boardbot removed), 404 (conversation gone), other 4xx, no stored reference ->
    PermanentSendError.
    """

    def __init__(self, platform: TeamsPlatform, *, timeout: float = 20.0) -> None:
        self.platform = platform
        self.timeout = timeout

    async def send(self, message: Outgoing) -> str | None:
        ref = await self._stored_reference(message.channel_id) or message.conversation_ref
        if not ref:
            raise PermanentSendError(NO_REFERENCE)
        try:
            reference = reference_from_json(ref)
        except Exception as exc:
            raise PermanentSendError(f"the stored conversation reference is unreadable ({exc}); link the channel again") from exc
        if not reference.service_url or reference.conversation is None or not reference.conversation.id:
            raise PermanentSendError(NO_REFERENCE)
        if not self.platform.authenticated and not inbound.is_loopback_url(reference.service_url):
            raise PermanentSendError("Teams runs unauthenticated here, so boardbot posts only to service URLs on this "
                                     "machine; set MicrosoftAppId to post to Teams")
        reply = message.reply
        if reply.visibility == Visibility.PERSONAL and reference.conversation.conversation_type != "personal":
            raise PermanentSendError("a personal answer (a secret for one person) cannot be posted to a channel or group chat")
        activity = card_activity(reply_card(reply), reply.text)
        posted: list[str | None] = []
        failed: list[BaseException] = []

        async def post(turn_context: TurnContext) -> None:
            # Exceptions are carried out by hand: the adapter would hand them to on_turn_error and swallow them.
            try:
                client = turn_context.turn_state.get(self.platform.adapter.BOT_CONNECTOR_CLIENT_KEY)
                if client is None:
                    raise TransientSendError("no Bot Connector client for this conversation")
                activity.channel_id = reference.channel_id
                activity.service_url = reference.service_url
                activity.conversation = reference.conversation
                activity.from_property = reference.bot
                activity.recipient = reference.user
                if reference.conversation.tenant_id:
                    activity.channel_data = {"tenant": {"id": reference.conversation.tenant_id}}
                response = await client.conversations.send_to_conversation(reference.conversation.id, activity,
                                                                           timeout=self.timeout)
                posted.append(getattr(response, "id", None))
            except BaseException as exc:  # noqa: BLE001 - re-raised below, outside the adapter
                failed.append(exc)

        try:
            await asyncio.wait_for(
                self.platform.adapter.continue_conversation(reference, post, bot_app_id=self.platform.app_id),
                self.timeout + 5,
            )
            if failed:
                raise failed[0]
        except (TransientSendError, PermanentSendError):
            raise
        except HttpOperationError as exc:
            raise classify(exc, message.channel_id) from exc
        except TokenError as exc:
            if exc.transient:
                raise TransientSendError(str(exc), exc.retry_after) from exc
            log.error("Teams post %s waits: %s", message.key, exc)
            raise TransientSendError(str(exc), CREDENTIALS_BACKOFF) from exc
        except (ClientRequestError, TimeoutError, aiohttp.ClientError, OSError) as exc:
            if not connect_failed(exc):
                log.warning("Teams post %s to %s: no answer after it was sent (%s: %s); it will be retried and "
                            "may appear twice", message.key, message.channel_id, type(exc).__name__, exc)
            raise TransientSendError(f"Bot Connector unreachable or slow: {type(exc).__name__}: {exc}") from exc
        return posted[0] if posted else None

    async def _stored_reference(self, channel_id: str) -> dict[str, Any] | None:
        store = self.platform.services.store
        if store is None:
            return None
        from storage import directory

        async with store.session() as s:
            return await directory.conversation_ref(s, _THREAD.sub("", channel_id))


def connect_failed(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it wraps) failed while connecting, so nothing reached the Bot Connector."""
    import requests
    from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

    seen: set[int] = set()
    todo: list[Any] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, (requests.ConnectTimeout, NewConnectionError, ConnectTimeoutError, ConnectionRefusedError,
                          aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)):
            return True
        if isinstance(e, MaxRetryError):
            todo.append(e.reason)
        if isinstance(e, BaseException):
            todo.extend([e.__cause__, e.__context__, *[a for a in e.args if isinstance(a, BaseException)]])
    return False


def classify(exc: HttpOperationError, channel_id: str) -> Exception:
    """A Bot Connector HTTP error as the outbox's Transient/PermanentSendError."""
    response = getattr(exc, "response", None)
    status = int(getattr(response, "status_code", 0) or 0)
    headers = getattr(response, "headers", None) or {}
    detail = (getattr(response, "text", "") or "")[:300]
    if status == 429 or status == 408 or status >= 500:
        return TransientSendError(f"Bot Connector answered {status}", retry_after_seconds(headers.get("Retry-After")))
    if status == 401:
        message = ("Bot Connector refused boardbot's token (401): check MicrosoftAppId and MicrosoftAppPassword "
                   "(an expired client secret?); posts wait until it is fixed")
        log.error("%s", message)
        return TransientSendError(message, CREDENTIALS_BACKOFF)
    if status in (403, 404):
        return PermanentSendError(f"Bot Connector answered {status} for {channel_id}: boardbot was removed from that "
                                  f"conversation or it no longer exists. {detail}".strip())
    return PermanentSendError(f"Bot Connector answered {status}: {detail}".strip())


# --- the HTTP endpoint ---------------------------------------------------------------------------------


class TeamsPlatform:
    """botbuilder wired up: authentication, the CloudAdapter, the bot, the sender."""

    def __init__(self, services: Services, settings: Settings) -> None:
        self.services = services
        self.settings = settings
        self.app_id = settings.app_id or ""
        self.mode = settings.teams_mode  # jwt | local | off (see bot.config.Settings.teams_mode)
        self.endpoints = Endpoints.from_settings(settings)
        self.credentials = credential_factory(settings, self.endpoints)
        self.auth = build_authentication(self.endpoints, self.credentials)
        self.adapter = CloudAdapter(self.auth)
        self.adapter.on_turn_error = self._on_turn_error
        self.keys = SigningKeys(self.endpoints)
        self.bot = BoardbotTeamsBot(services)
        self.sender = TeamsSender(self)

    @property
    def authenticated(self) -> bool:
        return self.mode == "jwt"

    async def handle(self, request: web.Request) -> web.Response:
        """POST /api/messages, cheapest check first; nothing is stored or sent for a refusal.

        Off: 401, unread. Local: 401 unless the caller is on this machine. JWT: the token is
        checked (:func:`verify_channel_token`) before the body is read: 401 without a good
        one, 503 when the signing keys cannot be fetched. Then the body: 413 over 1 MB, 400
        when it is not UTF-8 JSON of bounded depth shaped like an activity
        (:mod:`bot.platforms.teams.inbound`). Then what needs the activity: the token's
        ``serviceurl`` and endorsement (ours), botbuilder's own validation, and in local mode
        a loopback ``serviceUrl`` (replies go nowhere else): 401. Only then the turn.
        """
        if self.mode == "off":
            return _problem(401, "Teams is not enabled on this server")
        if self.mode == "local" and not inbound.peer_is_loopback(request):
            return _problem(401, "unauthorized")
        header = request.headers.get("Authorization") if self.authenticated else None
        token: ChannelToken | None = None
        if self.authenticated:
            try:
                await self.keys.ensure_fresh(header or "")
            except KeysUnavailable as exc:
                log.error("%s", exc)
                return _problem(503, "cannot check tokens right now", retry=True)
            try:
                token = verify_channel_token(header, app_id=self.app_id, endpoints=self.endpoints)
            except TokenRefused as exc:
                log.info("refused a Teams request: %s", exc)
                return _problem(401, "unauthorized")
        try:
            body = inbound.loads(await inbound.read_body(request))
            teams_inbound.check_activity(body)
        except inbound.Refused as exc:
            log.info("refused a Teams request (%s): %s", exc.status, exc.reason)
            return _problem(exc.status, exc.reason)
        activity = parse_activity(body)
        if activity is None:
            return _problem(400, "the body is not a Bot Framework activity boardbot can handle")
        try:
            if token is not None:
                token.check_activity(channel_id=activity.channel_id, service_url=activity.service_url)
            elif not inbound.is_loopback_url(activity.service_url):
                raise TokenRefused("unauthenticated requests may only name a serviceUrl on this machine")
            auth = await self.auth.authenticate_request(activity, header)
        except Exception as exc:  # TokenRefused; botbuilder raises PermissionError, jwt errors, even AttributeError
            log.info("refused a Teams request: %s: %s", type(exc).__name__, exc)
            return _problem(401, "unauthorized")
        try:
            invoke = await self.adapter.process_activity(auth, activity, self.bot.on_turn)
        except TokenError as exc:
            log.error("cannot answer Teams: %s", exc)
            return _problem(503 if exc.transient else 500, "boardbot cannot reach the Bot Connector", retry=exc.transient)
        except Exception:
            log.exception("a Teams turn failed")
            return _problem(500, "internal error")
        if invoke is not None:
            body_out = invoke.body if invoke.body is not None else {}
            if isinstance(body_out, Model):  # botbuilder's own answers (e.g. a 400 for an invoke without a value)
                body_out = serializer_helper(body_out)
            return web.json_response(body_out, status=int(invoke.status or 200))
        return web.Response(status=200)

    async def _on_turn_error(self, turn_context: TurnContext, exc: Exception) -> None:
        """Last resort for an exception in a turn: log it, and tell the person if they were talking to us."""
        log.exception("error in a Teams turn", exc_info=exc)
        if turn_context.activity.type != ActivityTypes.message:
            return
        try:
            reply = crash_reply()
            await turn_context.send_activity(card_activity(reply_card(reply), reply.text))
        except Exception:
            log.warning("could not tell the user about the error either", exc_info=True)


def _problem(status: int, message: str, *, retry: bool = False) -> web.Response:
    headers = {"Retry-After": "30"} if retry else None
    return web.json_response({"error": message}, status=status, headers=headers)


PLATFORM_KEY = web.AppKey("teams_platform", TeamsPlatform)


def mount(app: web.Application, services: Services, settings: Settings) -> TeamsPlatform:
    """Add ``POST /api/messages`` (Teams is on); the caller registers ``.sender`` with the outbox."""
    platform = TeamsPlatform(services, settings)
    app[PLATFORM_KEY] = platform
    app.router.add_post("/api/messages", platform.handle)

    async def close_clients(_app: web.Application) -> None:
        await platform.auth.close()

    app.on_cleanup.append(close_clients)
    if platform.mode == "local":
        log.warning("Teams runs unauthenticated (BOARDBOT_TEAMS_UNAUTHENTICATED=1): answering only this machine, "
                    "replying only to service URLs on this machine")
    return platform
