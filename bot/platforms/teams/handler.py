"""The ActivityHandler: Teams activities into core requests, core replies into cards.

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
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import (
    Activity,
    ChannelAccount,
)

from bot.messages import Actor, Reply, Request
from bot.platforms.common import CRASH_HINT, CRASH_TEXT, Once, crash_reply
from bot.platforms.teams.activities import (
    PLATFORM,
    card_activity,
    channel_of,
    conversation_reference,
    digest,
    incoming_text,
    is_channel,
    is_personal,
    presser,
    tenant_of,
)
from bot.platforms.teams.cards import (
    CARD_CONTENT_TYPE,
    PERSONAL_ONLY,
    VERB,
    for_conversation,
    parse_action,
    reply_card,
    welcome_card,
)
from bot.platforms.teams.once import ActivityClaims
from bot.services import Services

log = logging.getLogger("boardbot.teams")

MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"  # an invoke answer Teams shows as a note, card untouched


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
    in one transaction, shared with the activities arriving at the same moment
    (:meth:`_first_time`); who is asking comes from the core's cached
    :func:`bot.identity.resolve_actor`, one call per activity.
    """

    SAVED_REFS_MAX = 10_000

    def __init__(self, services: Services) -> None:
        self.services = services
        self.once = Once(services)
        self.claims = ActivityClaims(services)
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
        if not await self._first_time(turn_context, f"teams:msg:{activity.id}|{digest(activity.conversation.id)}"):
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
        key = (f"teams:card:{nonce}:{presser(activity)}" if nonce
               else f"teams:submit:{activity.id}|{digest(activity.conversation.id)}")
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
        key = (f"teams:card:{nonce}:{presser(activity)}" if nonce
               else f"teams:invoke:{activity.id}|{digest(activity.conversation.id)}")
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
        await self.once.first_time(f"{key}:result", {"card": card})  # the press's reference is saved
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
        if not await self._first_time(turn_context, f"teams:welcome:{activity.id}|{digest(activity.conversation.id)}"):
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

    async def _first_time(self, turn_context: TurnContext, key: str) -> bool:
        """Record ``key`` once (True the first time) and, the first time, the conversation
        reference too, in the same transaction (with the keys of the activities arriving at
        the same moment: :class:`~bot.platforms.teams.once.ActivityClaims`)."""
        activity = turn_context.activity
        save = not turn_context.turn_state.get(_REFERENCE_SAVED) and bool(activity.service_url)
        ref = conversation_reference(activity) if save else None
        # a reference this process stored (or found stored) a moment ago needs no second look
        known = ref is not None and self._saved_refs.get(ref["conversation"]["id"]) == ref
        fresh, stored = await self.claims.claim(key, reference=None if known else ref,
                                                conversation_id=ref["conversation"]["id"] if ref else "",
                                                tenant=tenant_of(activity) or None)
        if stored and ref is not None:
            self._saw_reference(ref)
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


def _card_response(card: dict[str, Any]) -> dict[str, Any]:
    """The invoke answer that replaces the card the button sat on."""
    return {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card}


def _note(text: str) -> dict[str, Any]:
    """The invoke answer Teams shows as a short message, leaving the card as it was."""
    return {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": text}


def _invoke_error(status: int, code: str, message: str) -> dict[str, Any]:
    """An Universal Actions error answer: Teams shows ``message`` to the presser, the card unchanged."""
    return {"statusCode": status, "type": "application/vnd.microsoft.error", "value": {"code": code, "message": message}}
