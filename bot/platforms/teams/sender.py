"""Proactive posts to Teams: the outbox's sender, and how a Bot Connector error reads to the outbox."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from botbuilder.core import CloudAdapterBase, TurnContext
from botbuilder.schema import Activity, ConversationReference
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.messages import Visibility
from bot.platforms import inbound
from bot.platforms.common import retry_after_seconds
from bot.platforms.teams.activities import THREAD, card_activity, reference_from_json
from bot.platforms.teams.cards import reply_card
from bot.platforms.teams.tokens import TokenError
from bot.services import Services
from scheduler.outbox import Outgoing, PermanentSendError, TransientSendError

log = logging.getLogger("boardbot.teams")

NO_REFERENCE = "no conversation reference: add boardbot to the channel and link it again"
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

    def __init__(self, services: Services, adapter: CloudAdapterBase, *, app_id: str, authenticated: bool,
                 timeout: float = 20.0) -> None:
        self.services = services
        self.adapter = adapter  # its continue_conversation hands over the authenticated Bot Connector client
        self.app_id = app_id
        self.authenticated = authenticated
        self.timeout = timeout

    async def send(self, message: Outgoing) -> str | None:
        """Post ``message`` as a new card in its conversation; the post's id, if the connector gave one."""
        reference = await self._reference(message)
        activity = card_activity(reply_card(message.reply), message.reply.text)
        try:
            return await self._post(reference, activity)
        except (TransientSendError, PermanentSendError):
            raise
        except Exception as exc:
            error = self._send_error(exc, message)
            if error is exc:
                raise
            raise error from exc

    async def _reference(self, message: Outgoing) -> ConversationReference:
        """Where the post goes, refusing (PermanentSendError) what cannot or must not be posted there."""
        ref = await self._stored_reference(message.channel_id) or message.conversation_ref
        if not ref:
            raise PermanentSendError(NO_REFERENCE)
        try:
            reference = reference_from_json(ref)
        except Exception as exc:
            raise PermanentSendError(f"the stored conversation reference is unreadable ({exc}); link the channel again") from exc
        if not reference.service_url or reference.conversation is None or not reference.conversation.id:
            raise PermanentSendError(NO_REFERENCE)
        if not self.authenticated and not inbound.is_loopback_url(reference.service_url):
            raise PermanentSendError("Teams runs unauthenticated here, so boardbot posts only to service URLs on this "
                                     "machine; set MicrosoftAppId to post to Teams")
        if message.reply.visibility == Visibility.PERSONAL and reference.conversation.conversation_type != "personal":
            raise PermanentSendError("a personal answer (a secret for one person) cannot be posted to a channel or group chat")
        return reference

    async def _post(self, reference: ConversationReference, activity: Activity) -> str | None:
        """``send_to_conversation`` inside ``continue_conversation``, which hands over the authenticated client."""
        posted: list[str | None] = []
        failed: list[BaseException] = []

        async def post(turn_context: TurnContext) -> None:
            # Exceptions are carried out by hand: the adapter would hand them to on_turn_error and swallow them.
            try:
                client = turn_context.turn_state.get(self.adapter.BOT_CONNECTOR_CLIENT_KEY)
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

        await asyncio.wait_for(self.adapter.continue_conversation(reference, post, bot_app_id=self.app_id),
                               self.timeout + 5)
        if failed:
            raise failed[0]
        return posted[0] if posted else None

    def _send_error(self, exc: Exception, message: Outgoing) -> Exception:
        """A failed post as the outbox sees it (see the class's docstring); anything unforeseen is re-raised."""
        if isinstance(exc, HttpOperationError):
            return classify(exc, message.channel_id)
        if isinstance(exc, TokenError):
            if exc.transient:
                return TransientSendError(str(exc), exc.retry_after)
            log.error("Teams post %s waits: %s", message.key, exc)
            return TransientSendError(str(exc), CREDENTIALS_BACKOFF)
        if isinstance(exc, ClientRequestError | TimeoutError | aiohttp.ClientError | OSError):
            if not connect_failed(exc):
                log.warning("Teams post %s to %s: no answer after it was sent (%s: %s); it will be retried and "
                            "may appear twice", message.key, message.channel_id, type(exc).__name__, exc)
            return TransientSendError(f"Bot Connector unreachable or slow: {type(exc).__name__}: {exc}")
        return exc

    async def _stored_reference(self, channel_id: str) -> dict[str, Any] | None:
        store = self.services.store
        if store is None:
            return None
        from storage import directory

        async with store.session() as s:
            return await directory.conversation_ref(s, THREAD.sub("", channel_id))


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
