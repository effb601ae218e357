"""A stand-in Bot Connector on 127.0.0.1, and boardbot's app pointed at it.

:class:`StandInConnector` answers what botbuilder calls when boardbot talks to Teams:

    POST /v3/conversations/{id}/activities               send to conversation (new post)
    POST /v3/conversations/{id}/activities/{activityId}  reply to an activity
    PUT  /v3/conversations/{id}/activities/{activityId}  update an activity (a card in place)

(each also under one leading path segment, ``/amer/v3/...``, for a regional ``serviceUrl``)

and, for authenticated mode, what Microsoft's login service publishes:

    POST /botframework.com/oauth2/v2.0/token   boardbot's own token (client credentials)
    GET  /openid                               OpenID metadata naming the key set
    GET  /keys                                 the key set (one RSA key, endorsed for msteams)

It records every call, issues and checks bearer tokens when ``require_token`` is set, signs
inbound tokens the way the Bot Framework does (:meth:`StandInConnector.sign`), and can be
told to fail the next activity calls (500, 429 with Retry-After, 403, 404...).

Activities are sent to ``build_app(services, settings, background=False)`` exactly as Teams
sends them: the samples under ``payloads/`` with ``serviceUrl`` pointing at the stand-in.
"""

from __future__ import annotations

import faulthandler
from collections.abc import AsyncIterator, Iterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from .standin import StandInConnector, link_tenant, settings_for


@pytest.fixture(autouse=True)
def _no_hangs() -> Iterator[None]:
    """A Teams test that blocks the event loop (botbuilder fetching keys or tokens synchronously
    from a stand-in on that same loop would) stops the run with a traceback instead of hanging."""
    faulthandler.dump_traceback_later(120, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.fixture
async def connector() -> AsyncIterator[StandInConnector]:
    stand_in = StandInConnector()
    runner = web.AppRunner(stand_in.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    stand_in.url = f"http://127.0.0.1:{port}"
    # botbuilder keeps signing keys per metadata URL for the whole process: a port an earlier test's
    # stand-in had must not bring that test's keys (and key fetch count) with it
    from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor

    JwtTokenExtractor.metadataCache.pop(f"{stand_in.url}/openid", None)
    try:
        yield stand_in
    finally:
        await runner.cleanup()


@pytest.fixture
async def teams(services, sqlite_url, connector) -> AsyncIterator[TestClient]:
    """boardbot's app in local, unauthenticated mode (BOARDBOT_TEAMS_UNAUTHENTICATED=1 on loopback), the
    tenant linked to Buckinghamshire."""
    from bot.web import build_app

    await link_tenant(services)
    client = TestClient(TestServer(build_app(services, settings_for(sqlite_url), background=False)))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
async def teams_auth(services, sqlite_url, connector) -> AsyncIterator[TestClient]:
    """boardbot's app with an app id: every request needs a token the stand-in's key signed."""
    from bot.web import build_app

    await link_tenant(services)
    connector.require_token = True
    client = TestClient(TestServer(build_app(services, settings_for(sqlite_url, connector, authenticated=True), background=False)))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


SUFFOLK_TENANT = "5b8e2c14-9d3a-4f6e-8a1b-7c0d2e4f6a8b"


@pytest.fixture
async def teams_two_areas(db_url, connector) -> AsyncIterator[TestClient]:
    """boardbot's app serving Buckinghamshire (tenant ``TENANT``) and Suffolk (``SUFFOLK_TENANT``),
    each tenant linked to its own area, on SQLite and PostgreSQL; ``app["services"]`` is reachable
    as ``client.services``."""
    from bot.bootstrap import open_services
    from bot.web import build_app

    from .standin import TENANT

    settings = settings_for(db_url)
    services = await open_services(settings)
    await link_tenant(services, "buckinghamshire", TENANT)
    await link_tenant(services, "suffolk", SUFFOLK_TENANT)
    client = TestClient(TestServer(build_app(services, settings, background=False)))
    client.services = services  # type: ignore[attr-defined]
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()
        await services.close()
