"""Fixtures shared by every test directory: a real chdb ClickHouse.

chdb opens one data directory per process, so every test that needs it (tests/web, tests/test_sink.py,
tests/test_deploy_manifests.py) shares one (session-scoped) and starts from empty tables instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from models.detector import Detector
from models.monitor import Monitor, MonitorState
from streams.clickhouse import connect, ensure_schema


@pytest.fixture(scope="session")
def chdb_dsn(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"chdb://{tmp_path_factory.mktemp('chdb') / 'ch'}"


@pytest.fixture
def ch(chdb_dsn: str) -> Iterator[Any]:
    client = connect(chdb_dsn)
    ensure_schema(client)
    for (table,) in client.query("SELECT name FROM system.tables WHERE database = currentDatabase()").result_rows:
        client.command(f"TRUNCATE TABLE `{table}`")
    yield client


@pytest.fixture(scope="module")
def detector() -> Detector:
    """The packaged detector (shared per process: tests that change its lexicon use from_files())."""
    return Detector.default()


@pytest.fixture
def monitor(detector: Detector) -> Monitor:
    """A rules engine with empty state and no price seed."""
    return Monitor(detector, MonitorState(), price_seed={})
