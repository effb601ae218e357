"""The chat platforms: one package each, behind one contract, found through one registry.

- :mod:`.base` — the :class:`~bot.platforms.base.Platform` contract every platform implements;
- :mod:`.registry` — the list of platforms (``PLATFORMS``); adding one is its package plus an entry;
- :mod:`.common` — what they share: acting once on re-sent deliveries, Retry-After, the crash reply;
- :mod:`.inbound` — the checks every endpoint makes before it spends anything on a request;
- :mod:`.slack`, :mod:`.teams`, :mod:`.console` — the platforms. Only these import an SDK.
"""
