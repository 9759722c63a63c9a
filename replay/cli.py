"""`livewatch replay`: a recording (file or stdin) into the topics, with a progress bar."""

from __future__ import annotations

import argparse
import asyncio

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from replay.identity import replay_id_for
from replay.player import publish
from replay.recording import RecordingError, open_source, read_recording
from streams.settings import Settings


def run_replay(args: argparse.Namespace) -> int:
    import io
    import sys

    settings = Settings.from_env()
    if not settings.kafka:
        print("livewatch replay needs LIVEWATCH_KAFKA (the broker the worker reads)", file=sys.stderr)
        return 2
    with open_source(args.source) as source:
        content = source.read()
    replay_id = "" if args.live else (args.replay_id or replay_id_for(content))
    messages = []
    for item in read_recording(io.BytesIO(content), settings.topic_prefix):
        if isinstance(item, RecordingError):
            print(f"skipped: {item}", file=sys.stderr)
        else:
            messages.append(item)
    print(f"replay id: {replay_id or '(live)'}; {len(messages)} records", file=sys.stderr)
    progress = Progress(TextColumn("replay"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[rate]:>8.0f} rec/s"), TimeRemainingColumn(),
                        disable=args.no_progress)
    with progress:
        task = progress.add_task("replay", total=len(messages), rate=0.0)

        def advance(n: int) -> None:
            progress.advance(task, n)
            elapsed = progress.tasks[0].elapsed or 0
            progress.update(task, rate=progress.tasks[0].completed / elapsed if elapsed else 0.0)

        stats = asyncio.run(publish(messages, settings.kafka, prefix=settings.topic_prefix,
                                    speed=args.speed or None, replay_id=replay_id, on_progress=advance))
    print(f"published {stats.records} records in {stats.seconds:.2f}s ({stats.rate:.0f} records/s)",
          file=sys.stderr)
    return 0
