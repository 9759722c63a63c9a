"""What `livewatch replay` asks of a running worker over HTTP: the archive, and what it has applied."""

from __future__ import annotations

import asyncio
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import IO

import orjson

from replay.player import Targets

ARCHIVE_SCHEME = "archive:"


class WorkerUnavailable(RuntimeError):
    pass


def worker_url(value: str | None = None) -> str:
    """``http://host:port`` from an URL, a ``host:port``, or LIVEWATCH_WEB."""
    value = value or os.environ.get("LIVEWATCH_WEB", "127.0.0.1:6066")
    if "://" not in value:
        value = f"http://{value}"
    return value.rstrip("/")


def is_archive_source(source: str) -> bool:
    return source.startswith(ARCHIVE_SCHEME)


def archive_query(source: str) -> str:
    """``archive:?from=...&room_id=...`` -> ``from=...&room_id=...`` (validated as a query string)."""
    query = source[len(ARCHIVE_SCHEME):].lstrip("?")
    urllib.parse.parse_qs(query, strict_parsing=False)
    return query


def download_archive(base_url: str, query: str, out: IO[bytes] | None = None, timeout: float = 300,
                     on_bytes: Callable[[int], None] | None = None) -> bytes:
    """The recording GET /api/archive returns for ``query`` (also written to ``out`` when given)."""
    url = f"{base_url}/api/archive" + (f"?{query}" if query else "")
    chunks = []
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            while chunk := resp.read(1 << 16):
                chunks.append(chunk)
                if out is not None:
                    out.write(chunk)
                if on_bytes is not None:
                    on_bytes(len(chunk))
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:500]
        raise WorkerUnavailable(f"GET {url}: HTTP {exc.code}: {detail}") from None
    except OSError as exc:
        raise WorkerUnavailable(f"GET {url}: {exc}") from None
    return b"".join(chunks)


def has_archive(base_url: str, timeout: float = 2.0) -> bool:
    """Whether a worker with the archive API (GET /api/archive/progress) answers on ``base_url``."""
    try:
        archived_offsets(base_url, "-", ["selections"], timeout=timeout)
        return True
    except WorkerUnavailable:
        return False


def archived_offsets(base_url: str, replay_id: str, topics: list[str] | None = None,
                     timeout: float = 10) -> dict[tuple[str, int], int]:
    params = {"replay_id": replay_id}
    if topics:
        params["topics"] = ",".join(topics)
    url = f"{base_url}/api/archive/progress?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            body = orjson.loads(resp.read())
    except urllib.error.HTTPError as exc:
        raise WorkerUnavailable(f"GET {url}: HTTP {exc.code}") from None
    except OSError as exc:
        raise WorkerUnavailable(f"GET {url}: {exc}") from None
    return {(topic, int(p)): int(o) for topic, parts in body["offsets"].items() for p, o in parts.items()}


def applied_waiter(base_url: str, replay_id: str, *, timeout: float = 60.0, interval: float = 0.1,
                   errors: IO[str] | None = None):
    """An async ``wait_applied(targets)`` for replay.player.publish: polls /api/archive/progress.

    Gives up (with a warning, and carries on) after ``timeout`` seconds without progress: a record
    that the worker rejected while processing is never archived.
    """
    errors = errors if errors is not None else sys.stderr

    async def wait_applied(targets: Targets) -> None:
        if not targets:
            return
        topics = sorted({t for t, _ in targets})
        last_progress, seen = time.monotonic(), None  # seen: archived offsets last time
        complained = False
        while True:
            try:
                done = await asyncio.to_thread(archived_offsets, base_url, replay_id, topics)
            except WorkerUnavailable as exc:
                if "HTTP 404" in str(exc) or time.monotonic() - last_progress > timeout:
                    raise
                if not complained:
                    print(f"waiting for the worker: {exc}", file=errors)
                complained = True
                await asyncio.sleep(interval)
                continue
            missing = {k: v for k, v in targets.items() if done.get(k, -1) < v}
            if not missing:
                return
            state = tuple(done.get(k, -1) for k in sorted(targets))
            if state != seen:
                seen, last_progress = state, time.monotonic()
            elif time.monotonic() - last_progress > timeout:
                print(f"warning: worker has not applied {len(missing)} partition(s) after {timeout:.0f}s "
                      f"(e.g. {next(iter(missing.items()))}); carrying on", file=errors)
                return
            await asyncio.sleep(interval)

    return wait_applied
