"""`livewatch demo`: broker, worker and the sample recording together, alerts printed as they arrive."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import orjson
from rich.console import Console

from streams.settings import Settings

SEVERITY_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "cyan"}


def wait_until_ready(url: str, worker: subprocess.Popen, timeout: float = 120.0) -> None:
    """Poll the worker's /health until its partitions are assigned and tables recovered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"worker exited with code {worker.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"worker not ready after {timeout:.0f}s")


async def _print_alerts(bootstrap: str, topic: str, console: Console, counts: Counter, stop: asyncio.Event):
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False, fetch_max_wait_ms=100)
    await consumer.start()
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    alert = orjson.loads(record.value)
                    counts[alert["kind"]] += 1
                    style = SEVERITY_STYLE.get(alert["severity"], "")
                    console.print(
                        f"[{style}]{alert['severity']:>8}[/] {alert['kind']:<17} {alert['platform']}/"
                        f"{alert['room_id']} host={alert['host_id']} rule={alert['rule']} "
                        f"evidence=[bold]{alert['evidence']}[/]", highlight=False)
    finally:
        await consumer.stop()


async def _run(args: argparse.Namespace, settings: Settings, console: Console, web_url: str) -> Counter:
    from replay.player import publish
    from replay.recording import RecordingError, read_recording

    counts: Counter = Counter()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    printer = asyncio.create_task(_print_alerts(settings.kafka or "", settings.topic("alerts"), console,
                                                counts, stop))
    with Path(args.recording).open("rb") as fh:
        messages = [m for m in read_recording(fh, settings.topic_prefix) if not isinstance(m, RecordingError)]
    console.print(f"replaying {len(messages)} records from {args.recording} at {args.speed or 'max'}x "
                  f"as live traffic; live page: [bold]{web_url}/[/]")
    stats = await publish(messages, settings.kafka or "", prefix=settings.topic_prefix, speed=args.speed)
    console.print(f"[green]recording published[/] ({stats.records} records in {stats.seconds:.1f}s); "
                  "alerts keep printing until Ctrl-C")
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=args.duration)
    stop.set()
    await printer
    return counts


def run_demo(args: argparse.Namespace) -> int:
    from streams.cli import _start_embedded_broker

    console = Console()
    settings = Settings.from_env()
    broker = None
    if not settings.kafka:
        broker = _start_embedded_broker(settings)
        console.print(f"embedded tansu broker at [bold]{broker.bootstrap}[/]")
        settings = Settings.from_env()
    web_url = f"http://{settings.web_host}:{settings.web_port}"
    worker = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"], env=dict(os.environ),
                              start_new_session=True)
    try:
        console.print("starting worker (agents, ClickHouse at "
                      f"{settings.clickhouse}) ...")
        wait_until_ready(web_url, worker)
        console.print("[green]worker ready[/]")
        counts = asyncio.run(_run(args, settings, console, web_url))
        console.print("alerts by kind: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        if broker:
            broker.stop()
        console.print("stopped")
    return 0
