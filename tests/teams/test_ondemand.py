"""Teams on, botbuilder loaded when Teams first needs it (:mod:`bot.platforms.teams.ondemand`)."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from .standin import payload


def test_a_server_with_teams_on_holds_no_botbuilder_until_teams_needs_it():
    code = (
        "import asyncio, sys\n"
        "from aiohttp import web\n"
        "from bot.config import from_env\n"
        "from bot.platforms import registry\n"
        "settings = from_env({'BOARDBOT_TEAMS_UNAUTHENTICATED': '1', 'HOST': '127.0.0.1'})\n"
        "app = web.Application()\n"
        "sender = registry.platform('teams', settings).mount(app, services=None)\n"
        "sdk = lambda: sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in "
        "('botbuilder', 'botframework', 'msrest', 'msal', 'jwt', 'requests')})\n"
        "print(sdk(), [r.method + ' ' + r.resource.canonical for r in app.router.routes()])\n"
        "asyncio.run(sender.teams.platform())\n"
        "print(sdk())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()

    assert out[0] == "[] ['POST /api/messages']"
    assert out[1] == "['botbuilder', 'botframework', 'jwt', 'msal', 'msrest', 'requests']"


async def test_the_first_activities_arriving_together_load_teams_once_and_are_all_answered(teams, connector,
                                                                                           monkeypatch):
    from bot.platforms.teams import app as teams_app

    built = []
    real = teams_app.TeamsPlatform

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(teams_app, "TeamsPlatform", counting)
    bodies = [payload("personal_message", connector, id=f"17323741500{n:02d}") for n in range(5)]

    results = await asyncio.gather(*(teams.post("/api/messages", json=b) for b in bodies))

    assert {r.status for r in results} == {200}
    assert len(connector.posts) == 5
    assert built == [1]


async def test_a_failed_load_answers_500_and_the_next_activity_loads_it_again(teams, connector, monkeypatch):
    from bot.platforms.teams import app as teams_app

    real = teams_app.TeamsPlatform
    attempts = []

    def broken_once(*args, **kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("botbuilder is broken")
        return real(*args, **kwargs)

    monkeypatch.setattr(teams_app, "TeamsPlatform", broken_once)

    first = await teams.post("/api/messages", json=payload("personal_message", connector))
    answered_first = len(connector.posts)
    again = await teams.post("/api/messages", json=payload("personal_message", connector))  # Teams re-sends it

    assert first.status == 500 and answered_first == 0
    assert again.status == 200 and len(connector.posts) == 1


async def test_a_post_due_before_any_teams_activity_loads_teams_and_is_posted(teams, connector, services, sqlite_url):
    """After a restart the outbox may owe Teams a post before anyone has written to boardbot there."""
    from bot.platforms.teams.ondemand import TEAMS_KEY
    from bot.web import build_app

    from .standin import settings_for
    from .test_sender import CHANNEL, learn_and_link_channel, queue

    await learn_and_link_channel(teams, connector, services)  # before the restart
    restarted = build_app(services, settings_for(sqlite_url), background=False)  # its sender replaces the first's
    assert restarted[TEAMS_KEY].loaded is None
    await queue(services)

    result = await services.dispatcher.tick()

    assert result.sent == 1 and [p.conversation_id for p in connector.posts] == [CHANNEL]
    assert restarted[TEAMS_KEY].loaded is not None
    await restarted[TEAMS_KEY].close()
