"""The real stack for end-to-end tests: tansu broker, `livewatch worker` processes, chdb ClickHouse.

Each test gets its own topic prefix and faust app id on a shared broker, so tests never see each
other's records, and waits on conditions (worker /health, alerts visible in ClickHouse through
the API, records on a topic) with deadlines instead of sleeping.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.broker import EmbeddedBroker, free_port

REPO = Path(__file__).resolve().parents[2]
_counter = itertools.count()


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    log = tmp_path_factory.mktemp("tansu") / "tansu.log"
    with EmbeddedBroker(log_path=log) as b:
        yield b


def wait_for(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class Worker:
    def __init__(self, stack: Stack, name: str) -> None:
        self.stack = stack
        self.port = free_port()
        self.data = stack.root / name
        self.log_path = stack.root / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {**os.environ, **self.stack.env, "LIVEWATCH_DATA": str(self.data),
                "LIVEWATCH_WEB": f"127.0.0.1:{self.port}", **self.stack.extra_env}

    def start(self, ready_timeout: float = 90) -> Worker:
        self.data.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker", "--loglevel", "info"],
                                     env=self.env(), stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        wait_for(self.ready, ready_timeout, f"worker {self.log_path.name} ready (see its log)")
        return self

    def ready(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise AssertionError(f"worker exited {self.proc.returncode}:\n{self.log_tail()}")
        try:
            with urllib.request.urlopen(f"{self.url}/health", timeout=2) as resp:
                return resp.status == 200
        except (OSError, urllib.error.HTTPError):
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def get(self, path: str, **params: Any) -> Any:
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        with urllib.request.urlopen(f"{self.url}{path}?{query}", timeout=10) as resp:
            return json.loads(resp.read())

    def alerts(self, **params: Any) -> list[dict[str, Any]]:
        params.setdefault("limit", 1000)
        return self.get("/api/alerts", **params)["alerts"]


class Stack:
    """One isolated livewatch deployment on the shared broker."""

    def __init__(self, broker: EmbeddedBroker, root: Path) -> None:
        n = next(_counter)
        self.broker = broker
        self.root = root
        self.prefix = f"t{n}-{os.getpid()}."
        self.env = {"LIVEWATCH_KAFKA": broker.bootstrap, "LIVEWATCH_BROKER_KIND": "tansu",
                    "LIVEWATCH_TOPIC_PREFIX": self.prefix, "LIVEWATCH_APP_ID": f"lw-test-{n}-{os.getpid()}",
                    "LIVEWATCH_PARTITIONS": "4", "LIVEWATCH_FLUSH_MS": "100"}
        self.extra_env: dict[str, str] = {}
        self.workers: list[Worker] = []

    def worker(self, name: str = "w1") -> Worker:
        w = Worker(self, name)
        self.workers.append(w)
        return w

    def produce(self, topic: str, records: list[dict[str, Any] | bytes], key_field: str | None = None,
                headers: list[tuple[str, bytes]] | None = None) -> None:
        asyncio.run(self._produce(topic, records, key_field, headers))

    async def _produce(self, topic: str, records: list[Any], key_field: str | None,
                       headers: list[tuple[str, bytes]] | None) -> None:
        from aiokafka import AIOKafkaProducer

        from topics.kafka import ensure_topics
        from topics.records import KEY_FIELDS

        await ensure_topics(self.broker.bootstrap, self.prefix, 4)
        key_field = key_field or KEY_FIELDS.get(topic)
        producer = AIOKafkaProducer(bootstrap_servers=self.broker.bootstrap, max_request_size=4 * 1024 * 1024)
        await producer.start()
        try:
            for record in records:
                if isinstance(record, bytes | bytearray):
                    value, key = bytes(record), b"raw"
                else:
                    value = orjson.dumps(record)
                    key = str(record.get(key_field, "")).encode() if key_field else None
                await producer.send_and_wait(f"{self.prefix}{topic}", value, key=key, headers=headers)
        finally:
            await producer.stop()

    def consume(self, topic: str, count: int, timeout: float = 30) -> list[dict[str, Any]]:
        """At least ``count`` records of ``topic`` from its beginning (waits up to ``timeout``)."""
        return asyncio.run(self._consume(topic, count, timeout))

    async def _consume(self, topic: str, count: int, timeout: float) -> list[dict[str, Any]]:
        from aiokafka import AIOKafkaConsumer

        consumer = AIOKafkaConsumer(f"{self.prefix}{topic}", bootstrap_servers=self.broker.bootstrap,
                                    auto_offset_reset="earliest", enable_auto_commit=False)
        await consumer.start()
        out: list[dict[str, Any]] = []
        try:
            deadline = time.monotonic() + timeout
            while len(out) < count and time.monotonic() < deadline:
                batch = await consumer.getmany(timeout_ms=200)
                for records in batch.values():
                    out += [orjson.loads(r.value) for r in records]
            # Drain whatever else is there already, so callers can check for extras.
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                out += [orjson.loads(r.value) for r in records]
        finally:
            await consumer.stop()
        return out

    def close(self) -> None:
        for w in self.workers:
            w.stop()


@pytest.fixture
def stack(broker: EmbeddedBroker, tmp_path: Path) -> Iterator[Stack]:
    s = Stack(broker, tmp_path)
    yield s
    s.close()
