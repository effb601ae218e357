"""The Bot Connector calls boardbot makes itself say exactly what botbuilder's msrest client would.

:class:`bot.platforms.teams.connector.FastConnectorClient` builds the URL and the JSON body of
a reply without msrest; what the Bot Connector receives must not change, so each is compared
with what msrest builds for the same call.
"""

from __future__ import annotations

import copy
import json

import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from botframework.connector import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials

from bot.messages import Button, Reply
from bot.platforms.teams.activities import card_activity
from bot.platforms.teams.cards import reply_card
from bot.platforms.teams.connector import FastConnectorClient
from bot.platforms.teams.wire import activity_json

IDS = [
    "a:1Xq9Zk-personal-chat",
    "19:8d1e5b0c6a2f4e7b9c3d1a5f7e9b2c4d@thread.tacv2;messageid=1732374642118",
    "29:caf\u00e9 with spaces/and slashes?x=1#frag",
    "..",
    "%41 already quoted",
]
BASES = ["https://smba.trafficmanager.net/uk/", "https://smba.trafficmanager.net/amer", "http://127.0.0.1:3978/",
         "https://example.test/a/../b/"]


def _msrest_url(client: FastConnectorClient, template: str, conversation_id: str, activity_id: str | None) -> str:
    serialize = client.inner._serialize
    args = {"conversationId": serialize.url("conversation_id", conversation_id, "str")}
    if activity_id is not None:
        args["activityId"] = serialize.url("activity_id", activity_id, "str")
    return client.inner._client.format_url(template, **args)


@pytest.mark.parametrize("base", BASES)
def test_reply_and_send_urls_are_the_ones_msrest_builds(base):
    from bot.platforms.teams.connector import _REPLY, _SEND

    client = FastConnectorClient(ConnectorClient(MicrosoftAppCredentials.empty(), base_url=base))
    for _ in range(2):  # the first call learns the service URL, the next ones take the short way
        for cid in IDS:
            for template, aid in ((_SEND, None), (_REPLY, "1732374642118"), (_REPLY, "f:\u00e9;1")):
                assert client._url(template, cid, aid) == _msrest_url(client, template, cid, aid), (cid, aid)


def test_a_card_reply_is_the_json_msrest_would_send():
    from botbuilder.schema import _models_py3
    from msrest import Serializer

    reply = Reply(title="Leads on CSE", text="The LSCB leads on child sexual exploitation.\nSource: 4.2",
                  buttons=[Button("Ask again", "question.ask", {"q": "who leads on CSE?"})])
    activity = card_activity(reply_card(reply, area="buckinghamshire"), reply.text)
    activity.conversation = ConversationAccount(id="a:1", conversation_type="personal", tenant_id="t")
    activity.recipient = ChannelAccount(id="29:1", name="Person", aad_object_id="aad-1")
    activity.from_property = ChannelAccount(id="28:bot", name="boardbot")
    activity.reply_to_id = "1732374642118"
    serializer = Serializer({k: v for k, v in _models_py3.__dict__.items() if isinstance(v, type)})

    sent = copy.deepcopy(activity)  # what botbuilder sends is its copy of the activity
    assert sent.attachments[0] is not activity.attachments[0]
    assert json.loads(activity_json(sent, serializer)) == serializer.body(sent, "Activity")
    assert json.loads(activity_json(Activity(type="typing"), serializer)) == serializer.body(Activity(type="typing"),
                                                                                          "Activity")
