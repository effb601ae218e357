"""Several processes, one database: each reminder posted once, across replicas and a kill -9.

The processes are real servers (``boardbot serve``, or tests/scheduler/replica.py: the same
server with short leases) posting through the real Slack sender to the stand-in Slack Web
API, which runs in the test on 127.0.0.1 and counts what reaches each channel (helpers in
``replicas.py``). A killed replica's channels are taken over within 30 seconds, in order.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time

import pytest
from replicas import (
    BIN,
    CHANNELS,
    REPLICA,
    ROOT,
    Standin,
    env_for,
    free_port,
    kill_the_holder,
    prepare,
    schedule_many,
    start,
    stop,
    tail,
    wait_for,
    wait_healthy,
)


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_two_servers_on_one_postgresql_post_each_reminder_once(db_url, tmp_path) -> None:
    n = 30
    async with Standin() as standin:
        await prepare(db_url, standin)
        procs, ports = [], [free_port(), free_port()]
        try:
            for i, port in enumerate(ports):
                log = tmp_path / f"serve{i}.log"
                procs.append((start([str(BIN / "boardbot"), "serve"], env_for(db_url, standin, port, tmp_path), tmp_path, log), log))
            for (proc, log), port in zip(procs, ports, strict=True):
                await wait_healthy(port, proc, log)
            await schedule_many(db_url, n, first=2.0, spacing=0.3)
            await wait_for(standin, n // 2, within=30)
            # one replica stops (a rolling deploy): the other carries on
            stop(procs[0][0])
            await wait_for(standin, n, within=60)
            await asyncio.sleep(2)  # anything doubled would arrive by now
        finally:
            for proc, _ in procs:
                stop(proc)
        got = standin.keys()
        assert len(got) == n and set(got.values()) == {1}, got
        for channel in CHANNELS.values():
            order = standin.order(channel)
            assert order == sorted(order, key=lambda k: int(k.split(":")[1])), order  # in due order per channel


@pytest.mark.slow
async def test_kill_9_mid_send_loses_nothing_and_doubles_nothing(sqlite_url, tmp_path) -> None:
    n = 24
    async with Standin(delay=0.4) as standin:
        await prepare(sqlite_url, standin)
        port = free_port()
        log = tmp_path / "replica.log"
        cmd = [sys.executable, str(REPLICA)]
        env = {**env_for(sqlite_url, standin, port, tmp_path), "PYTHONPATH": str(ROOT)}
        proc = start(cmd, env, tmp_path, log)
        try:
            await wait_healthy(port, proc, log)
            await schedule_many(sqlite_url, n, first=1.5, spacing=0.25)
            # kill -9 the moment the 6th post reaches Slack: its answer is still on the way back
            deadline = time.monotonic() + 30
            while len(standin.rule_posts()) < 6 and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.005)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            posted_before = sum(standin.keys().values())
            await asyncio.sleep(2.0)  # more fall due while it is down
            proc = start(cmd, env, tmp_path, log)
            await wait_healthy(port, proc, log)
            await wait_for(standin, n, within=60)
            await asyncio.sleep(2)
        finally:
            stop(proc)
        got = standin.keys()
        assert 0 < posted_before < n
        assert len(got) == n and set(got.values()) == {1}, (got, tail(log))
        # the post cut short was found in the channel (by its key), not posted again
        assert len(standin.fake.calls_to("conversations.history")) >= 1
        assert len(standin.rule_posts()) == n
        for channel in CHANNELS.values():
            order = standin.order(channel)
            assert order == sorted(order, key=lambda k: int(k.split(":")[1])), order


@pytest.mark.slow
async def test_a_replica_killed_mid_stream_is_taken_over_within_30_seconds(db_url, tmp_path) -> None:
    """Two default servers (but the tick) on one database; the outbox holder is killed with SIGKILL."""
    result = await kill_the_holder(db_url, tmp_path)
    assert len(result.keys) == 36 and set(result.keys.values()) == {1}, result  # nothing lost, nothing doubled
    assert result.in_order, result
    assert result.seconds < 30, result
    assert result.late < 30, result
