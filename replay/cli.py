"""`livewatch replay`: a recording (file, stdin or the worker's archive) into the topics, with progress.

Sources: a JSONL file, ``-`` for standard input, or ``archive:?from=...&to=...&room_id=...`` for
the worker's input archive (GET /api/archive on ``--from-worker``, default LIVEWATCH_WEB). The
replay id is derived from the recording's bytes, so the same file, or the same archive query over
the same archive, always gets the same id (and its alerts the same ids).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn
from rich.text import Text

from replay.identity import replay_id_for
from replay.player import Pacer, publish
from replay.recording import RecordingError, open_source, read_recording
from replay.worker_api import (
    WorkerUnavailable,
    applied_waiter,
    archive_query,
    download_archive,
    has_archive,
    is_archive_source,
    worker_url,
)
from streams.settings import Settings


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The `livewatch replay` options (streams.cli mounts them)."""
    p.add_argument("source", help="JSONL recording, - for stdin, or archive:?from=..&to=..&room_id=.. "
                                  "for the worker's input archive")
    p.add_argument("--speed", type=float, default=0.0,
                   help="pace: x the recording's own pace (10 = ten times faster); 0 = as fast as possible")
    p.add_argument("--live", action="store_true", help="publish as live records (no replay id)")
    p.add_argument("--replay-id", default=None)
    p.add_argument("--from-worker", default=None, metavar="URL",
                   help="worker web address for archive: sources and ordering (default LIVEWATCH_WEB)")
    p.add_argument("--registry-first", action=argparse.BooleanOptionalAction, default=None,
                   help="publish registry records (lists, blacklist, certificates) first and wait until the "
                        "worker has applied them (default: on when the worker's archive API answers)")
    p.add_argument("--strict", action="store_true",
                   help="keep the recording's order wherever the worker could see it otherwise (waits "
                        "for the worker between waves): the replay then raises exactly what `livewatch scan "
                        "--as-replay` finds")
    p.add_argument("--wait", action="store_true",
                   help="return only once the worker has applied every record (needs the worker's web API)")
    p.add_argument("--wait-timeout", type=float, default=60.0,
                   help="give up waiting after this many seconds without progress")
    p.add_argument("--save", default=None, metavar="FILE", help="also write the downloaded archive here")
    p.add_argument("--no-progress", action="store_true")


class RateColumn(ProgressColumn):
    """Records per second since the start (the paced rate for a paced replay)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:>8.0f} rec/s", style="progress.data.speed")


class EtaColumn(ProgressColumn):
    """Time left. Paced: the recording's remaining time at the replay speed (known in advance,
    whatever the bursts); flat out: remaining records at the average rate so far."""

    max_refresh = 0.5

    def render(self, task: Task) -> Text:
        if task.finished:
            return Text("done", style="progress.remaining")
        ends_at = task.fields.get("ends_at")
        if ends_at is not None:
            remaining: float | None = max(0.0, ends_at - time.monotonic())
        else:
            elapsed = task.elapsed or 0.0
            rate = task.completed / elapsed if elapsed > 0 and task.completed else 0.0
            remaining = (task.total - task.completed) / rate if rate and task.total is not None else None
        if remaining is None:
            return Text("eta -:--:--", style="progress.remaining")
        minutes, seconds = divmod(int(remaining + 0.999), 60)
        hours, minutes = divmod(minutes, 60)
        return Text(f"eta {hours}:{minutes:02d}:{seconds:02d}", style="progress.remaining")


def make_progress(disable: bool = False, console: Console | None = None) -> Progress:
    return Progress(TextColumn("replay"), BarColumn(), MofNCompleteColumn(), RateColumn(), EtaColumn(),
                    console=console or Console(stderr=True), disable=disable)


def load_source(args: argparse.Namespace, base_url: str) -> bytes:
    if is_archive_source(args.source):
        query = archive_query(args.source)
        if args.save:
            with open(args.save, "wb") as out:
                return download_archive(base_url, query, out)
        return download_archive(base_url, query)
    with open_source(args.source) as source:
        return source.read()


def run_replay(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if not settings.kafka:
        print("livewatch replay needs LIVEWATCH_KAFKA (the broker the worker reads)", file=sys.stderr)
        return 2
    base_url = worker_url(getattr(args, "from_worker", None))
    try:
        content = load_source(args, base_url)
    except (WorkerUnavailable, ValueError) as exc:
        print(f"livewatch replay: {exc}", file=sys.stderr)
        return 2
    replay_id = "" if args.live else (args.replay_id or replay_id_for(content))
    messages = []
    for item in read_recording(io.BytesIO(content), settings.topic_prefix):
        if isinstance(item, RecordingError):
            print(f"skipped: {item}", file=sys.stderr)
        else:
            messages.append(item)
    registry_first = getattr(args, "registry_first", None)
    if registry_first is None:  # on whenever there is a worker to ask
        registry_first = is_archive_source(args.source) or has_archive(base_url)
        if not registry_first:
            print(f"note: no worker archive API at {base_url} (--from-worker): publishing without waiting "
                  "for the registry records to be applied first", file=sys.stderr)
    strict = bool(getattr(args, "strict", False))
    wait_at_end = bool(getattr(args, "wait", False))
    waiter = None
    if registry_first or strict or wait_at_end:
        waiter = applied_waiter(base_url, replay_id, timeout=getattr(args, "wait_timeout", 60.0))
    modes = (("registry first", registry_first), ("strict", strict))
    order = " + ".join(name for name, on in modes if on) or "as is"
    print(f"replay id: {replay_id or '(live)'}; {len(messages)} records; order: {order}", file=sys.stderr)

    progress = make_progress(disable=args.no_progress)
    with progress:
        task = progress.add_task("replay", total=len(messages), ends_at=None)
        paced = {"pacer": None, "seconds": 0.0}

        def on_start(pacer: Pacer) -> None:
            paced["pacer"], paced["seconds"] = pacer, pacer.paced_seconds(messages)

        def advance(n: int) -> None:
            fields: dict[str, Any] = {}
            pacer = paced["pacer"]
            if pacer is not None and pacer.anchor is not None and paced["seconds"]:
                fields["ends_at"] = pacer.anchor[0] + paced["seconds"]
            progress.update(task, advance=n, **fields)

        try:
            stats = asyncio.run(publish(messages, settings.kafka, prefix=settings.topic_prefix,
                                        speed=args.speed or None, replay_id=replay_id, on_progress=advance,
                                        registry_first=registry_first, strict=strict, wait_applied=waiter,
                                        wait_at_end=wait_at_end,
                                        on_start=on_start))
        except WorkerUnavailable as exc:
            print(f"livewatch replay: worker not reachable for --registry-first/--strict/--wait: {exc}",
                  file=sys.stderr)
            return 2
    waited = f", {stats.waves} waves, {stats.waited:.2f}s waiting for the worker" if waiter else ""
    print(f"published {stats.records} records in {stats.seconds:.2f}s ({stats.rate:.0f} records/s{waited})",
          file=sys.stderr)
    if replay_id:
        print(replay_id)  # for scripts: the id to filter alerts by
    return 0
