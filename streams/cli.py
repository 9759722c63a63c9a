"""The `livewatch` command: broker, worker, demo, scan, replay, record, registry, evaluate, train."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from streams.settings import Settings

SAMPLE = Path(__file__).resolve().parent.parent / "replay" / "data" / "sample_recording.jsonl"


def _start_embedded_broker(settings: Settings, port: int | None = None):
    from streams.broker import EmbeddedBroker

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    broker = EmbeddedBroker(port=port, log_path=settings.data_dir / "tansu.log").start()
    os.environ["LIVEWATCH_KAFKA"] = broker.bootstrap
    os.environ["LIVEWATCH_BROKER_KIND"] = "tansu"
    return broker


def cmd_broker(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    broker = _start_embedded_broker(settings, args.port)
    print(f"tansu broker listening; bootstrap servers: {broker.bootstrap}", flush=True)
    print(f"  export LIVEWATCH_KAFKA={broker.bootstrap} LIVEWATCH_BROKER_KIND=tansu", flush=True)
    # Block the signals first: sigwait then receives them instead of their default handlers,
    # so the broker is stopped on SIGTERM too.
    signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        signal.sigwait(signals)
    finally:
        broker.stop()
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    broker = None
    if not os.environ.get("LIVEWATCH_KAFKA"):
        broker = _start_embedded_broker(Settings.from_env())
        print(f"embedded tansu broker at {broker.bootstrap}", flush=True)
    from streams.worker import run_worker

    try:
        run_worker(Settings.from_env(), loglevel=args.loglevel)
    finally:
        if broker:
            broker.stop()
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    from replay.identity import replay_id_for
    from replay.recording import open_source
    from replay.scan import scan

    settings = Settings.from_env()
    with open_source(args.file) as source:
        content = source.read()
    import io

    replay_id = args.replay_id if args.replay_id is not None else (replay_id_for(content) if args.as_replay else "")
    stats = scan(io.BytesIO(content), sys.stdout.buffer, replay_id=replay_id, partitions=settings.partitions,
                 prefix=settings.topic_prefix)
    print(f"scanned {stats.records} records: {stats.alerts} alerts, {stats.dead} unusable", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from models.detector import Detector
    from models.evaluate import evaluate, format_report
    from models.plain import read_jsonl

    print(format_report(evaluate(Detector.default(), read_jsonl(args.file)), max_errors=args.errors))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from models import classifier

    out = Path(args.out) if args.out else None
    metrics = classifier.train(Path(args.corpus) if args.corpus else classifier.CORPUS_DIR,
                               out or classifier.MODEL_PATH, seed=args.seed)
    for name, value in metrics.items():
        print(f"{name}: {value}")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from replay.cli import run_replay

    return run_replay(args)


def cmd_record(args: argparse.Namespace) -> int:
    from replay.record import run_record

    return run_record(args)


def cmd_demo(args: argparse.Namespace) -> int:
    from streams.demo import run_demo

    return run_demo(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="livewatch", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("broker", help="run the embedded tansu broker in the foreground")
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(func=cmd_broker)

    p = sub.add_parser("worker", help="run the faust worker (agents, ClickHouse sink, web)")
    p.add_argument("--loglevel", default="warning")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("demo", help="broker + worker + the sample recording, alerts printed live")
    p.add_argument("--recording", default=str(SAMPLE))
    p.add_argument("--speed", type=float, default=20.0, help="replay pace (x real time); 0 = flat out")
    p.add_argument("--duration", type=float, default=None,
                   help="stop by itself after this many seconds (default: run until Ctrl-C)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("scan", help="offline: run the detectors over a recording, alerts as JSONL")
    p.add_argument("file", help="JSONL recording, or - for standard input")
    p.add_argument("--as-replay", action="store_true",
                   help="ids as a replay of this recording would give them (replay id from its content)")
    p.add_argument("--replay-id", default=None)
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("evaluate", help="precision/recall per category on a labelled JSONL")
    p.add_argument("file")
    p.add_argument("--errors", type=int, default=30, metavar="N",
                   help="list at most N misclassified rows (0: scores only, for a held-out set)")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("train", help="rebuild the claim classifier from the labelled corpus")
    p.add_argument("--corpus", default=None)
    p.add_argument("--out", default=None)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_train)

    from replay.cli import add_arguments as add_replay_arguments
    from replay.record import add_arguments as add_record_arguments

    p = sub.add_parser("replay", help="publish a recording (file, stdin or the worker's archive) into the topics")
    add_replay_arguments(p)
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("record", help="capture the input topics into a JSONL recording (kcat -J envelopes)")
    add_record_arguments(p)
    p.set_defaults(func=cmd_record)

    from streams.registry_cli import add_arguments as add_registry_arguments
    from streams.registry_cli import run_registry

    p = sub.add_parser("registry", help="upsert/remove selection lists, blacklist entries, certificates; show a host")
    add_registry_arguments(p)
    p.set_defaults(func=run_registry)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

