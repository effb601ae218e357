"""The stand-in Bot Connector and login service, and helpers the Teams tests share.

See conftest.py for what the stand-in answers and how the fixtures use it.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

PAYLOADS = Path(__file__).parent / "payloads"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
APP_ID = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
APP_PASSWORD = "stand-in-secret"
ISSUER = "https://api.botframework.com"


@dataclass
class Call:
    method: str
    kind: str  # send | reply | update | token
    conversation_id: str
    activity_id: str | None
    body: Any
    headers: dict[str, str]
    status: int
    answered_id: str | None = None  # the id the stand-in gave the posted activity
    region: str = ""  # the serviceUrl's path ("amer" for http://stand-in/amer/), as Teams' regional connectors have

    @property
    def card(self) -> dict[str, Any]:
        """The Adaptive Card this call carried (the first attachment)."""
        attachments = self.body.get("attachments") or []
        assert attachments, f"no attachment in {self.body}"
        assert attachments[0]["contentType"] == "application/vnd.microsoft.card.adaptive"
        return attachments[0]["content"]


@dataclass
class StandInConnector:
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    fail_next: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    require_token: bool = False
    issued: list[str] = field(default_factory=list)
    key_fetches: int = 0
    delay: float = 0.0

    def __post_init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "stand-in-key-1"
        self._ids = itertools.count(1)

    # --- what tests look at ------------------------------------------------------------------

    @property
    def posts(self) -> list[Call]:
        """Activity calls that succeeded (what Teams would have shown)."""
        return [c for c in self.calls if c.kind in ("send", "reply", "update") and c.status < 300]

    def fail(self, status: int, times: int = 1, **headers: str) -> None:
        self.fail_next.extend([(status, headers)] * times)

    def sign(self, claims: dict[str, Any] | None = None, *, key: Any = None, kid: str | None = None,
             service_url: str | None = None, audience: str = APP_ID, expires_in: int = 3600) -> str:
        """A token as the Bot Framework signs one for Teams -> bot calls."""
        now = int(time.time())
        body = {"iss": ISSUER, "aud": audience, "serviceurl": service_url or self.url + "/", "nbf": now - 60,
                "iat": now - 60, "exp": now + expires_in}
        body.update(claims or {})
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})

    # --- the server --------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{cid}/activities", self._activity)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._activity)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._activity)
        app.router.add_post("/{region}/v3/conversations/{cid}/activities", self._activity)
        app.router.add_post("/{region}/v3/conversations/{cid}/activities/{aid}", self._activity)
        app.router.add_put("/{region}/v3/conversations/{cid}/activities/{aid}", self._activity)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_get("/openid", self._openid)
        app.router.add_get("/keys", self._keys)
        return app

    async def _activity(self, request: web.Request) -> web.Response:
        import asyncio

        cid, aid = request.match_info["cid"], request.match_info.get("aid")
        kind = "update" if request.method == "PUT" else ("reply" if aid else "send")
        body = await request.json()
        headers = dict(request.headers)
        if self.delay:
            await asyncio.sleep(self.delay)
        status, extra = 200, {}
        if self.require_token and headers.get("Authorization", "").removeprefix("Bearer ") not in self.issued:
            status = 401
        elif self.fail_next:
            status, extra = self.fail_next.pop(0)
        call = Call(request.method, kind, cid, aid, body, headers, status, region=request.match_info.get("region", ""))
        self.calls.append(call)
        if status >= 300:
            return web.json_response({"error": {"code": "StandIn", "message": f"stand-in answered {status}"}},
                                     status=status, headers=extra)
        call.answered_id = aid if kind == "update" else f"1:{next(self._ids)}"
        return web.json_response({"id": call.answered_id}, status=200 if kind == "update" else 201)

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        ok = form.get("client_id") == APP_ID and form.get("client_secret") == APP_PASSWORD
        self.calls.append(Call("POST", "token", "", None, dict(form), dict(request.headers), 200 if ok else 401))
        if not ok:
            return web.json_response({"error": "invalid_client"}, status=401)
        token = f"stand-in-token-{len(self.issued) + 1}"
        self.issued.append(token)
        return web.json_response({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token})

    async def _openid(self, request: web.Request) -> web.Response:
        return web.json_response({"issuer": ISSUER, "jwks_uri": self.url + "/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def _keys(self, request: web.Request) -> web.Response:
        self.key_fetches += 1
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "endorsements": ["msteams", "skype", "webchat"]})
        return web.json_response({"keys": [jwk]})


def settings_for(database_url: str, connector: StandInConnector | None = None, *, authenticated: bool = False):
    from bot.config import Settings

    if not authenticated:
        # local use, asked for explicitly: never the default (see test_safe_defaults.py)
        return Settings(database_url=database_url, host="127.0.0.1", teams_unauthenticated=True)
    assert connector is not None
    return Settings(
        database_url=database_url, app_id=APP_ID, app_password=APP_PASSWORD,
        extra={
            "teams_openid_metadata_url": connector.url + "/openid",
            "teams_emulator_openid_metadata_url": connector.url + "/openid",
            "teams_login_url": connector.url + "/botframework.com",
        },
    )


async def link_tenant(services, area: str = "buckinghamshire", tenant: str = TENANT) -> None:
    from storage import directory

    async with services.store.session() as s, s.begin():
        await directory.link_workspace(s, "teams", tenant, area)


def payload(name: str, connector: StandInConnector, **changes: Any) -> dict[str, Any]:
    """A saved Teams activity, its serviceUrl pointed at the stand-in; ``changes`` replace top-level keys."""
    data = json.loads((PAYLOADS / f"{name}.json").read_text())
    data["serviceUrl"] = connector.url + "/"
    data["timestamp"] = dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")
    for k, v in changes.items():
        data[k] = copy.deepcopy(v)
    return data


def card_text(card: dict[str, Any]) -> str:
    """Every piece of text in a card, in order (TextBlocks, facts, action titles), for assertions."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                out.append(node.get("text", ""))
            if node.get("type") == "FactSet":
                out.extend(f"{f['title']}: {f['value']}" for f in node.get("facts", []))
            if node.get("type", "").startswith("Action.") and node.get("title"):
                out.append(node["title"])
            for v in node.values():
                if isinstance(v, (dict, list)):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(card)
    return "\n".join(out)
