"""Authenticated mode: real JWT validation by botbuilder against a key set served on 127.0.0.1.

The stand-in publishes OpenID metadata and a JWKS (one RSA key endorsed for ``msteams``),
signs tokens the way the Bot Framework does (issuer https://api.botframework.com, audience
= the app id, ``serviceurl`` claim), issues boardbot's own token from a client-credentials
endpoint and refuses connector calls without it. Only the URLs are overridden; the issuer
and every check are the production ones.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, select

from storage.models import ConversationRef, ProcessedRequest

from .standin import APP_ID, APP_PASSWORD, card_text, payload, settings_for


async def nothing_changed(services, connector) -> None:
    assert connector.posts == []
    async with services.store.session() as s:
        assert (await s.execute(select(func.count()).select_from(ConversationRef))).scalar_one() == 0
        assert (await s.execute(select(func.count()).select_from(ProcessedRequest))).scalar_one() == 0


async def test_a_token_signed_by_the_bot_framework_key_is_accepted_and_answered_with_our_own_token(teams_auth, connector):
    token = connector.sign()
    resp = await teams_auth.post("/api/messages", json=payload("personal_message", connector),
                                 headers={"Authorization": f"Bearer {token}"})

    assert resp.status == 200
    [post] = connector.posts
    assert "Buckinghamshire Safeguarding Children Board" in card_text(post.card)
    # the reply carried the token boardbot got from the login service with its app id and password
    [grant] = [c for c in connector.calls if c.kind == "token"]
    assert grant.body["grant_type"] == "client_credentials" and grant.body["client_id"] == APP_ID
    assert grant.body["client_secret"] == APP_PASSWORD and grant.body["scope"] == "https://api.botframework.com/.default"
    assert post.headers["Authorization"] == f"Bearer {connector.issued[0]}"


async def test_the_own_token_is_fetched_once_and_reused(teams_auth, connector):
    for i in range(3):
        body = payload("personal_message", connector, id=f"17323741313{i}")
        resp = await teams_auth.post("/api/messages", json=body, headers={"Authorization": f"Bearer {connector.sign()}"})
        assert resp.status == 200
    assert len(connector.posts) == 3
    assert len([c for c in connector.calls if c.kind == "token"]) == 1
    assert connector.key_fetches == 1  # and the signing keys were fetched once too


def _other_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize(
    "case",
    ["missing", "garbage", "basic", "not-a-jwt", "bad-signature", "wrong-audience", "expired", "wrong-issuer",
     "wrong-serviceurl", "no-serviceurl", "unknown-key", "alg-none", "no-expiry", "hs256", "two-parts"],
)
async def test_bad_or_missing_tokens_get_401_and_change_nothing(teams_auth, connector, services, case):
    body = payload("personal_message", connector)
    header = {
        "missing": None,
        "garbage": "Bearer %%%% not even base64 !!",
        "basic": "Basic Ym9hcmRib3Q6c2VjcmV0",
        "not-a-jwt": "Bearer abc.def.ghi",
        "bad-signature": f"Bearer {connector.sign(key=_other_key())}",
        "wrong-audience": f"Bearer {connector.sign(audience='11111111-2222-3333-4444-555555555555')}",
        "expired": f"Bearer {connector.sign(expires_in=-3600)}",  # past botbuilder's 5-minute leeway
        "wrong-issuer": f"Bearer {connector.sign({'iss': 'https://evil.example'})}",
        "wrong-serviceurl": f"Bearer {connector.sign(service_url='https://smba.trafficmanager.net/uk/')}",
        "no-serviceurl": f"Bearer {connector.sign({'serviceurl': None})}",
        "unknown-key": f"Bearer {connector.sign(key=_other_key(), kid='not-published')}",
        "no-expiry": "Bearer " + __import__("jwt").encode(
            {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": connector.url + "/"},
            connector.key, algorithm="RS256", headers={"kid": connector.kid}),
        "hs256": "Bearer " + __import__("jwt").encode(
            {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": connector.url + "/",
             "exp": int(time.time()) + 600}, "a-shared-secret-long-enough-for-hs256!", algorithm="HS256",
            headers={"kid": connector.kid}),
        "two-parts": f"Bearer {connector.sign()} extra",
        "alg-none": "Bearer " + _unsigned(APP_ID, connector.url + "/"),
    }[case]
    headers = {"Authorization": header} if header is not None else {}

    resp = await asyncio.wait_for(teams_auth.post("/api/messages", json=body, headers=headers), 10)

    assert resp.status == 401
    assert await resp.json() == {"error": "unauthorized"}
    await nothing_changed(services, connector)
    ok = await teams_auth.post("/api/messages", json=body, headers={"Authorization": f"Bearer {connector.sign()}"})
    assert ok.status == 200 and len(connector.posts) == 1  # and the server is still answering


@pytest.mark.parametrize("token", [b"\xff\xfe\xfd", b"eyJhbGciOiJSUzI1NiJ9.\xff.x", "\u00e9t\u00e9".encode()])
async def test_a_token_that_is_not_ascii_gets_401_not_a_500(teams_auth, connector, services, token):
    """Bytes no JWT has (a JWT is base64url and dots), sent as they are: HTTP clients cannot be trusted to send text."""
    body = json.dumps(payload("personal_message", connector)).encode()
    reader, writer = await asyncio.open_connection(teams_auth.server.host, teams_auth.server.port)
    writer.write(b"POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 b"Authorization: Bearer " + token + b"\r\nContent-Length: " + str(len(body)).encode() +
                 b"\r\nConnection: close\r\n\r\n" + body)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    assert answer.split(b"\r\n", 1)[0] == b"HTTP/1.1 401 Unauthorized", answer[:300]
    await nothing_changed(services, connector)


def _unsigned(audience: str, service_url: str) -> str:
    import base64
    import json

    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {"iss": "https://api.botframework.com", "aud": audience, "serviceurl": service_url, "exp": now + 600}
    return f"{part({'alg': 'none', 'typ': 'JWT', 'kid': 'stand-in-key-1'})}.{part(claims)}."


async def test_the_token_is_checked_before_the_body_is_read(teams_auth, connector, services):
    deep = b"[" * 100_000  # would blow json's recursion limit if it were parsed
    for body in (b"{nope", deep, b"\xff\xfe not utf-8"):
        resp = await teams_auth.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
        assert resp.status == 401  # no token: nothing read, nothing parsed
        resp = await teams_auth.post("/api/messages", data=body, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {connector.sign()}"})
        assert resp.status == 400  # a good token, a body that is not an activity
    assert [c for c in connector.calls if c.kind != "token"] == []
    await nothing_changed(services, connector)


async def test_keys_that_cannot_be_fetched_give_503_not_a_hang(services, sqlite_url, connector):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.config import Settings
    from bot.web import build_app

    settings = settings_for(sqlite_url, connector, authenticated=True)
    broken = Settings(**{**settings.__dict__, "extra": {**settings.extra, "teams_openid_metadata_url": connector.url + "/nothing-here"}})
    async with TestClient(TestServer(build_app(services, broken, background=False))) as client:
        resp = await asyncio.wait_for(
            client.post("/api/messages", json=payload("personal_message", connector),
                        headers={"Authorization": f"Bearer {connector.sign()}"}), 15)
    assert resp.status == 503
    assert connector.posts == []


async def test_a_refused_app_password_is_logged_not_retried_forever(services, sqlite_url, connector):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.config import Settings
    from bot.web import build_app

    settings = settings_for(sqlite_url, connector, authenticated=True)
    wrong = Settings(**{**settings.__dict__, "app_password": "not-the-password"})
    async with TestClient(TestServer(build_app(services, wrong, background=False))) as client:
        resp = await client.post("/api/messages", json=payload("personal_message", connector),
                                 headers={"Authorization": f"Bearer {connector.sign()}"})
    assert resp.status == 500  # a configuration error: Teams' retry will not fix it
    assert connector.posts == []


async def test_tokens_naming_unknown_keys_do_not_make_boardbot_fetch_keys_again_and_again(teams_auth, connector):
    assert (await teams_auth.post("/api/messages", json=payload("personal_message", connector),
                                  headers={"Authorization": f"Bearer {connector.sign()}"})).status == 200
    for i in range(5):
        forged = connector.sign(key=_other_key(), kid=f"made-up-{i}")
        resp = await teams_auth.post("/api/messages", json=payload("personal_message", connector, id=f"x{i}"),
                                     headers={"Authorization": f"Bearer {forged}"})
        assert resp.status == 401
    assert connector.key_fetches == 1  # at most once an hour for a key it has not seen


async def test_a_rotated_signing_key_is_picked_up(teams_auth, connector):
    import datetime as dt

    from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor

    assert (await teams_auth.post("/api/messages", json=payload("personal_message", connector),
                                  headers={"Authorization": f"Bearer {connector.sign()}"})).status == 200
    # The Bot Framework publishes a new key; two hours on, a token is signed with it.
    connector.key, connector.kid = _other_key(), "stand-in-key-2"
    JwtTokenExtractor.get_open_id_metadata(connector.url + "/openid").last_updated -= dt.timedelta(hours=2)

    resp = await teams_auth.post("/api/messages", json=payload("personal_message", connector, id="after-rotation"),
                                 headers={"Authorization": f"Bearer {connector.sign()}"})

    assert resp.status == 200 and connector.key_fetches == 2
    assert len(connector.posts) == 2


async def test_the_serviceurl_claim_is_checked_by_boardbot_itself(teams_auth, connector):
    """Ours, not only botbuilder's: its successor SDK does not check the claim."""
    from bot.platforms.teams.auth import Endpoints, TokenRefused, verify_channel_token

    assert (await teams_auth.post("/api/messages", json=payload("personal_message", connector),
                                  headers={"Authorization": f"Bearer {connector.sign()}"})).status == 200  # keys cached
    endpoints = Endpoints(openid_metadata_url=connector.url + "/openid")
    token = verify_channel_token(f"Bearer {connector.sign()}", app_id=APP_ID, endpoints=endpoints)
    token.check_activity(channel_id="msteams", service_url=connector.url + "/")
    for channel, url in (("msteams", "http://127.0.0.1:9999/"), ("msteams", None), ("not-endorsed", connector.url + "/")):
        with pytest.raises(TokenRefused):
            token.check_activity(channel_id=channel, service_url=url)
    bare = verify_channel_token(f"Bearer {connector.sign({'serviceurl': None})}", app_id=APP_ID, endpoints=endpoints)
    with pytest.raises(TokenRefused, match="serviceurl"):
        bare.check_activity(channel_id="msteams", service_url=connector.url + "/")
    with pytest.raises(TokenRefused):
        verify_channel_token(f"Bearer {connector.sign(audience='someone-else')}", app_id=APP_ID, endpoints=endpoints)
