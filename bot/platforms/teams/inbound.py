"""What a Bot Framework activity must look like before botbuilder deserialises it (pure: no SDK).

botbuilder's ``Activity().deserialize`` (msrest) accepts many wrong types without a word,
or raises somewhere deep inside a turn; boardbot then reads ``text``, ``value``,
``entities``, ``channelData`` and the accounts as if they were right. :func:`check_activity`
holds the parsed JSON against :data:`ACTIVITY` (every field boardbot or botbuilder reads,
with the type it must have) so a wrong one is a 400 at the door, with nothing stored and
nothing sent. Required: a non-empty ``type``, ``serviceUrl`` and ``conversation.id``; a
message or invoke also needs ``from`` and ``recipient``, and an ``adaptiveCard/action``
invoke a ``value.action`` object.
"""

from __future__ import annotations

from typing import Any

from bot.platforms.inbound import ANY, Refused, Required, check

STR_OR_NULL = (str, None)
ACCOUNT = {"id": STR_OR_NULL, "name": STR_OR_NULL, "aadObjectId": STR_OR_NULL, "role": STR_OR_NULL}
CONVERSATION = {"id": Required(str), "name": STR_OR_NULL, "conversationType": STR_OR_NULL, "isGroup": (bool, None),
                "tenantId": STR_OR_NULL, "tenantID": STR_OR_NULL, "role": STR_OR_NULL}
NAMED = (None, {"id": STR_OR_NULL, "name": STR_OR_NULL, "aadGroupId": STR_OR_NULL})
CHANNEL_DATA = {"tenant": NAMED, "team": NAMED, "channel": NAMED, "eventType": STR_OR_NULL,
                "settings": (None, dict), "source": (None, dict), "legacy": (None, dict)}
ENTITY = {"type": STR_OR_NULL, "text": STR_OR_NULL, "mentioned": (None, ACCOUNT)}
ATTACHMENT = {"contentType": STR_OR_NULL, "contentUrl": STR_OR_NULL, "content": ANY, "name": STR_OR_NULL,
              "thumbnailUrl": STR_OR_NULL}
CARD_ACTION = {"type": STR_OR_NULL, "verb": STR_OR_NULL, "id": STR_OR_NULL, "title": STR_OR_NULL, "data": ANY}
ACTIVITY = {
    "type": Required(str), "id": STR_OR_NULL, "timestamp": STR_OR_NULL, "localTimestamp": STR_OR_NULL,
    "localTimezone": STR_OR_NULL, "serviceUrl": Required(str), "channelId": STR_OR_NULL, "from": (None, ACCOUNT),
    "conversation": Required(CONVERSATION), "recipient": (None, ACCOUNT), "textFormat": STR_OR_NULL,
    "attachmentLayout": STR_OR_NULL, "membersAdded": (None, [ACCOUNT]), "membersRemoved": (None, [ACCOUNT]),
    "reactionsAdded": (None, [dict]), "reactionsRemoved": (None, [dict]), "topicName": STR_OR_NULL,
    "historyDisclosed": (bool, None), "locale": STR_OR_NULL, "text": STR_OR_NULL, "speak": STR_OR_NULL,
    "inputHint": STR_OR_NULL, "summary": STR_OR_NULL, "suggestedActions": (None, dict),
    "attachments": (None, [ATTACHMENT]), "entities": (None, [ENTITY]), "channelData": (None, CHANNEL_DATA),
    "action": STR_OR_NULL, "replyToId": STR_OR_NULL, "label": STR_OR_NULL, "valueType": STR_OR_NULL, "value": ANY,
    "name": STR_OR_NULL, "relatesTo": (None, dict), "code": STR_OR_NULL, "expiration": STR_OR_NULL,
    "importance": STR_OR_NULL, "deliveryMode": STR_OR_NULL, "listenFor": (None, [str]),
    "textHighlights": (None, [dict]), "semanticAction": (None, dict), "callerId": STR_OR_NULL,
}
CARD_INVOKE_VALUE = {"action": Required(CARD_ACTION), "trigger": STR_OR_NULL}


def check_activity(body: Any) -> None:
    """Raise Refused(400) unless ``body`` is an activity boardbot can read without surprises."""
    if not isinstance(body, dict):
        raise Refused(400, "the body is not an object")
    check(body, ACTIVITY)
    kind = body["type"]
    if not kind:
        raise Refused(400, "type is empty")
    if not body["conversation"]["id"]:
        raise Refused(400, "conversation.id is empty")
    if kind in ("message", "invoke"):
        for key in ("from", "recipient"):
            if not isinstance(body.get(key), dict):
                raise Refused(400, f"{key} is missing")
    if kind == "invoke" and body.get("name") == "adaptiveCard/action":
        check(body.get("value"), Required(CARD_INVOKE_VALUE), "value")
