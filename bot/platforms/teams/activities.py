"""Reading a Teams activity: is it one, whose tenant, which channel, who is mentioned, and the
conversation reference a proactive post needs later. Plain functions over botbuilder's schema.
"""

from __future__ import annotations

import copy
import hashlib
import html
import re
from typing import Any

from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationReference,
)

from bot.platforms.teams.cards import (
    CARD_CONTENT_TYPE,
    truncate,
)
from bot.platforms.teams.wire import Unusual, activity_from_json, model_json

PLATFORM = "teams"
THREAD = re.compile(r";messageid=\d+$")  # a channel thread's suffix on its conversation id


def parse_activity(body: Any) -> Activity | None:
    """An Activity from a request body, or None when it is not one boardbot can act on.

    Needs a string ``type``, an http(s) ``serviceUrl`` and a ``conversation.id``; the
    conversation's ``tenantId`` is copied by hand (botbuilder-schema 4.17 maps it as
    ``tenantID`` and drops what Teams sends).
    """
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        return None
    try:
        activity = activity_from_json(body)
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
    return THREAD.sub("", activity.conversation.id)


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
        "bot": _account_json(activity.recipient) if activity.recipient else None,
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
        ref["user"] = _account_json(activity.from_property)
    ref["conversation"] = {k: v for k, v in ref["conversation"].items() if v is not None}
    return {k: v for k, v in ref.items() if v is not None}


def _account_json(account: ChannelAccount) -> dict[str, Any]:
    """``account.serialize()``, without building msrest's serializer for every call."""
    try:
        return model_json(account)
    except Unusual:
        return account.serialize()


def reference_from_json(ref: dict[str, Any]) -> ConversationReference:
    reference = ConversationReference().deserialize(ref)
    tenant = (ref.get("conversation") or {}).get("tenantId")
    if reference.conversation is not None and tenant:
        reference.conversation.tenant_id = tenant
    reference.activity_id = None
    return reference


class CardAttachment(Attachment):
    """An Adaptive Card attachment whose card botbuilder's copy of the outgoing activity shares.

    ``TurnContext.send_activities`` deep-copies every activity it sends (so that addressing
    the copy leaves the caller's alone); for a card that meant copying every block and
    button of the answer, which cost more CPU than sending it. A card is built for its one
    message and nothing changes it afterwards, so the copy gets a new attachment holding the
    same card. Serialised exactly as an ``Attachment``.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> CardAttachment:
        return copy.copy(self)


def card_activity(card: dict[str, Any], text: str = "") -> Activity:
    """A message carrying one Adaptive Card; ``summary`` is the notification text.

    The full plain text travels as the card's ``fallbackText``; it is not repeated in the
    message ``text``, which Teams would show above the card.
    """
    first = next((line for line in (text or "").splitlines() if line.strip()), "")
    return Activity(
        type=ActivityTypes.message,
        summary=truncate(first, 200) or None,
        attachments=[CardAttachment(content_type=CARD_CONTENT_TYPE, content=card)],
    )


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def is_personal(activity: Activity) -> bool:
    """A 1:1 chat with boardbot (the Emulator's conversations carry no type and no isGroup)."""
    conv = activity.conversation
    kind = conv.conversation_type or ""
    return kind == "personal" or (not kind and not conv.is_group)


def presser(activity: Activity) -> str:
    sender = activity.from_property
    return (sender.aad_object_id or sender.id or "") if sender else ""
