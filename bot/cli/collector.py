"""The garbage collector on the server's own schedule.

A server's objects are freed the moment nothing holds them (reference counting); the collector
is needed only for the few that hold each other in a cycle, and a slash command makes hardly
any: after 12,300 of them with the collector off, a full pass found 1,003 such objects, in
17 ms. Left to itself, though, the collector ran every few hundred requests and walked every
object made since, the long-lived ones (kept answers, rendered messages) again and again; each
pass stalled every request in flight for a few milliseconds. Measured in alternating rounds,
switching it off took about a tenth off a slash command's CPU and 3 ms off its p99.

So ``serve`` switches the automatic collector off and :func:`collect_on_schedule` runs it
instead: the young objects every ``every`` seconds, or sooner once ``young_limit`` objects have
been made since the last pass (a burst of cycles, whatever makes them, is collected within
``poll`` seconds), and everything every ``full_every`` seconds.

A pass stalls every request in flight for as long as it takes, and it takes as long as there
are young objects to walk and free. A Teams server leaves far more objects in cycles than a
Slack one (30,000 every two or three seconds at 600 messages a second), and with the limit at
200,000 a pass over what ~8 seconds of messages had left took 120-130 ms, which became the p99 of every
message in flight (121-148 ms at 16 concurrent, against a goal of 150). At 40,000, checked five
times a second, passes take 16-27 ms and that p99 is ~50 ms. On Slack's new-question mix
(2,400 commands a second) the count stayed under the limit: one pass every ``every``, as before.
"""

from __future__ import annotations

import asyncio
import gc


async def collect_on_schedule(*, every: float = 10.0, full_every: float = 300.0, young_limit: int = 40_000,
                              poll: float = 0.2) -> None:
    """Run until cancelled, with the automatic collector off meanwhile (it is on again after)."""
    loop = asyncio.get_running_loop()
    gc.disable()
    try:
        young = full = loop.time()
        while True:
            await asyncio.sleep(poll)
            now = loop.time()
            if now - full >= full_every:
                gc.collect()
                young = full = now
            elif now - young >= every or gc.get_count()[0] >= young_limit:
                gc.collect(1)  # the youngest two generations; what survives waits for the full pass
                young = now
    finally:
        gc.enable()
